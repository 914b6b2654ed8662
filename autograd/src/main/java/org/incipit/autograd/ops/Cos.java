package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Cosine. <pre>y = cos x,   dy/dx = −sin x</pre>
 */
public final class Cos {
  private Cos() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("cos", (a, s) -> StrictMath.cos(a), "cos(a)");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(in[0].sin()).neg()};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
