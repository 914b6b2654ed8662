package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Rectified linear unit, a fused primitive (the reference composite is {@code where(x > 0, x, 0)}).
 * <pre>y = max(x, 0),   dy/dx = 1 if x > 0 else 0</pre> with the convention relu′(0) = 0 (as PyTorch).
 */
public final class Relu {
  private Relu() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("relu", (a, s) -> a > 0 ? a : 0.0, "a > 0 ? a : 0");

  /** dy ⊙ [y &gt; 0]: one fused pass when no graph is built (see {@link BiasActivation#reluBackward}). */
  static final BackwardRule RULE = (gy, y, in) -> {
    Tensor fused = BiasActivation.reluBackward(gy, y);
    return new Tensor[] {fused != null ? fused : gy.mul(y.gt(0.0).cast(gy.dtype()))};
  };

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
