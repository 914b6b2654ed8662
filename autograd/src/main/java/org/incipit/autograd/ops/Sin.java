package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Sine. <pre>y = sin x,   dy/dx = cos x</pre>
 */
public final class Sin {
  private Sin() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("sin", (a, s) -> StrictMath.sin(a), "sin(a)");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(in[0].cos())};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
