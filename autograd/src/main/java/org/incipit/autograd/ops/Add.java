package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Addition. <pre>y = a + b,   ∂y/∂a = 1,   ∂y/∂b = 1</pre>
 * Broadcasts like NumPy; the engine sums each gradient back to its input's shape.
 */
public final class Add {
  private Add() {}

  public static final Kernel.Binary KERNEL = Kernel.binary("add", (a, b) -> a + b, "a + b");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy, gy};

  public static Tensor apply(Tensor a, Tensor b) {
    return Elementwise.binary(KERNEL, a, b, RULE);
  }
}
