package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/** Scaling by a constant. <pre>y = s·x,   dy/dx = s</pre> */
public final class MulScalar {
  private MulScalar() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("mul_scalar", (a, s) -> a * s, "a * s");

  public static Tensor apply(Tensor x, double s) {
    BackwardRule rule = (gy, y, in) -> new Tensor[] {gy.mul(s)};
    return Elementwise.unary(KERNEL, x, s, rule);
  }
}
