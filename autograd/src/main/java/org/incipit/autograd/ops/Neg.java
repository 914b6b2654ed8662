package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Negation. <pre>y = −x,   dy/dx = −1</pre>
 */
public final class Neg {
  private Neg() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("neg", (a, s) -> -a, "-a");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.neg()};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
