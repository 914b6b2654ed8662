package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.ErrorFunction;
import org.incipit.tensor.Kernel;

/**
 * The error function, used by the exact GELU.
 * <pre>
 * y = erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt,   dy/dx = (2/√π) e^(−x²)
 * </pre>
 * Java has no erf: {@link ErrorFunction} computes it (see its accuracy notes).
 */
public final class Erf {
  private Erf() {}

  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  public static final Kernel.Unary KERNEL = Kernel.unary("erf", (a, s) -> ErrorFunction.erf(a), "erf(a)");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {
      gy.mul(in[0].square().neg().exp().mul(TWO_OVER_SQRT_PI))};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
