package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/** Adding a constant. <pre>y = x + s,   dy/dx = 1</pre> */
public final class AddScalar {
  private AddScalar() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("add_scalar", (a, s) -> a + s, "a + s");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy};

  public static Tensor apply(Tensor x, double s) {
    return Elementwise.unary(KERNEL, x, s, RULE);
  }
}
