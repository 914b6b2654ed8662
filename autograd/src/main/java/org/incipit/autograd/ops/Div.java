package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Division. <pre>y = a/b,   ∂y/∂a = 1/b,   ∂y/∂b = −a/b² = −y/b</pre>
 * Broadcasts like NumPy; the engine sums each gradient back to its input's shape.
 */
public final class Div {
  private Div() {}

  public static final Kernel.Binary KERNEL = Kernel.binary("div", (a, b) -> a / b, "a / b");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.div(in[1]), gy.mul(y).div(in[1]).neg()};

  public static Tensor apply(Tensor a, Tensor b) {
    return Elementwise.binary(KERNEL, a, b, RULE);
  }
}
