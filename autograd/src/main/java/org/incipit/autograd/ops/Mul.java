package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Multiplication. <pre>y = a·b,   ∂y/∂a = b,   ∂y/∂b = a</pre>
 * Broadcasts like NumPy; the engine sums each gradient back to its input's shape.
 */
public final class Mul {
  private Mul() {}

  public static final Kernel.Binary KERNEL = Kernel.binary("mul", (a, b) -> a * b, "a * b");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(in[1]), gy.mul(in[0])};

  public static Tensor apply(Tensor a, Tensor b) {
    return Elementwise.binary(KERNEL, a, b, RULE);
  }
}
