package org.incipit.optim;

/**
 * What every optimizer's hyperparameter record shares: a base learning rate and a weight-decay
 * coefficient, and copies with either changed ({@link ParamGroup#splitDecay} uses the latter).
 *
 * @param <H> the record type itself
 */
public interface Hyperparameters<H extends Hyperparameters<H>> {
  /** The base learning rate; the step uses {@code lr() · lrFactor} (see {@link Optimizer#setLrFactor}). */
  double lr();

  /** The weight-decay coefficient (coupled for SGD, decoupled for AdamW and SGD-SaI). */
  double weightDecay();

  H withLr(double lr);

  H withWeightDecay(double weightDecay);

  /** Rejects NaN, infinite and negative values with a message naming {@code what}. */
  static double checkNonNegative(String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be finite and ≥ 0, got " + v);
    }
    return v;
  }

  /** Rejects values outside [0, 1). */
  static double checkUnit(String what, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1), got " + v);
    }
    return v;
  }
}
