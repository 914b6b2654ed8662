package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Hyperbolic tangent. <pre>y = tanh x,   dy/dx = 1 − y²</pre> Saturates to ±1 without overflow for any |x|.
 */
public final class Tanh {
  private Tanh() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("tanh", (a, s) -> StrictMath.tanh(a), "tanh(a)");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(y.square().rsub(1.0))};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
