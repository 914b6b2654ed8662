package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Subtraction. <pre>y = a − b,   ∂y/∂a = 1,   ∂y/∂b = −1</pre>
 * Broadcasts like NumPy; the engine sums each gradient back to its input's shape.
 */
public final class Sub {
  private Sub() {}

  public static final Kernel.Binary KERNEL = Kernel.binary("sub", (a, b) -> a - b, "a - b");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy, gy.neg()};

  public static Tensor apply(Tensor a, Tensor b) {
    return Elementwise.binary(KERNEL, a, b, RULE);
  }
}
