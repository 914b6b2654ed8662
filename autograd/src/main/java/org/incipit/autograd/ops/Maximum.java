package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Elementwise maximum, NaN-propagating.
 * <pre>
 * y = max(a, b),   ∂y/∂a = 1 if a &gt; b,  ½ if a = b,  0 if a &lt; b   (and symmetrically for b)
 * </pre>
 * Ties split the gradient evenly, as PyTorch does, so the sum of both gradients is always the
 * upstream gradient. Broadcasts like NumPy.
 */
public final class Maximum {
  private Maximum() {}

  public static final Kernel.Binary KERNEL = Kernel.binary("maximum",
      (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b),
      "isnan(a) || isnan(b) ? a + b : fmax(a, b)"); // OpenCL's fmax drops a NaN operand

  static final BackwardRule RULE = (gy, y, in) -> {
    Tensor a = in[0];
    Tensor b = in[1];
    // weight of a: 1 where a > b, ½ where a == b, 0 elsewhere
    Tensor wa = a.gt(b).cast(gy.dtype()).add(a.eq(b).cast(gy.dtype()).mul(0.5));
    Tensor ga = gy.mul(wa);
    return new Tensor[] {ga, gy.sub(ga)};
  };

  public static Tensor apply(Tensor a, Tensor b) {
    return Elementwise.binary(KERNEL, a, b, RULE);
  }
}
