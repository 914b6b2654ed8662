package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Absolute value. <pre>y = |x|,   dy/dx = sign(x)</pre> with the convention |·|′(0) = 0 (as PyTorch).
 */
public final class Abs {
  private Abs() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("abs", (a, s) -> Math.abs(a), "fabs(a)");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(in[0].sign())};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
