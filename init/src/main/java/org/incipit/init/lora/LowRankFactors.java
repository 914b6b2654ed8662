package org.incipit.init.lora;

import org.incipit.init.linalg.Dense;

/**
 * The result of a LoRA-family initialization for one weight W0 (out×in = m×n): the factors of the
 * update ΔW = s·B·A and the base weight the adapter sits on afterwards.
 *
 * @param b    B, m×r
 * @param a    A, r×n
 * @param base the new base weight: W0 itself, or W0 − s·B·A for the "residual" schemes (PiSSA,
 *             OLoRA, LoRA-GA, CorDA), so that base + s·B·A = W0 and every output is unchanged
 */
public record LowRankFactors(double[][] b, double[][] a, double[][] base) {
  /** s·B·A. */
  public double[][] delta(double scale) {
    double[][] d = Dense.mul(b, a);
    return Dense.scale(scale, d);
  }

  /** base + s·B·A, the weight the adapted layer computes with at init. */
  public double[][] effective(double scale) {
    return Dense.combine(1, base, scale, Dense.mul(b, a));
  }

  public int rank() {
    return a.length;
  }
}
