package org.incipit.autograd;

/** How a loss combines its per-element values (PyTorch's {@code reduction} argument). */
public enum Reduction {
  /** The average over the elements (over the non-ignored ones for cross-entropy). */
  MEAN,
  /** The total. */
  SUM,
  /** The per-element values, unreduced. */
  NONE
}
