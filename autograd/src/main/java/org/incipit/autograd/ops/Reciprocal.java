package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Reciprocal. <pre>y = 1/x,   dy/dx = −1/x² = −y²</pre>
 */
public final class Reciprocal {
  private Reciprocal() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("reciprocal", (a, s) -> 1.0 / a, "1/a");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(y.square()).neg()};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
