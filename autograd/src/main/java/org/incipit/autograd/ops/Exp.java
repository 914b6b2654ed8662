package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Exponential. <pre>y = eˣ,   dy/dx = eˣ = y</pre>
 */
public final class Exp {
  private Exp() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("exp", (a, s) -> StrictMath.exp(a), "exp(a)");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(y)};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
