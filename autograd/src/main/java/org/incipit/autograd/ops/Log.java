package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Natural logarithm. <pre>y = ln x,   dy/dx = 1/x</pre> ln 0 = −∞ and ln of a negative number is NaN, as in IEEE 754.
 */
public final class Log {
  private Log() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("log", (a, s) -> StrictMath.log(a), "log(a)");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.div(in[0])};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
