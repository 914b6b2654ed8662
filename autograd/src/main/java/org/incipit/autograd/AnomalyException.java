package org.incipit.autograd;

/** Thrown in anomaly mode by the first op whose result holds NaN or ±Inf. */
public final class AnomalyException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  public AnomalyException(String message) {
    super(message);
  }
}
