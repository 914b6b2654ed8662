package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Square root. <pre>y = √x,   dy/dx = 1/(2√x) = 1/(2y)</pre>
 */
public final class Sqrt {
  private Sqrt() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("sqrt", (a, s) -> Math.sqrt(a), "sqrt(a)");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.div(y.mul(2.0))};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
