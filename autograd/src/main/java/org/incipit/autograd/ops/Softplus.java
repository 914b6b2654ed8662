package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Softplus with PyTorch's defaults (β = 1, threshold 20: above it the result is x itself).
 * <pre>
 * y = ln(1 + eˣ)  (x ≤ 20),   x  (x &gt; 20)
 * dy/dx = σ(x)
 * </pre>
 * ln(1 + eˣ) is evaluated as log1p(eˣ), exact for very negative x.
 */
public final class Softplus {
  private Softplus() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("softplus",
      (a, s) -> a > 20 ? a : StrictMath.log1p(StrictMath.exp(a)), "a > 20 ? a : log1p(exp(a))");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(in[0].sigmoid())};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
