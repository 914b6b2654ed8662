package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Power with a constant exponent p.
 * <pre>y = xᵖ,   dy/dx = p·xᵖ⁻¹</pre>
 * Negative x with a non-integer p gives NaN (IEEE 754 pow), as in PyTorch; p = 0 gives 1 and a
 * zero gradient everywhere.
 */
public final class PowScalar {
  private PowScalar() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("pow_scalar", Math::pow, "pow(a, s)");

  public static Tensor apply(Tensor x, double p) {
    BackwardRule rule = (gy, y, in) -> new Tensor[] {
        p == 0 ? gy.mul(0.0) : gy.mul(in[0].pow(p - 1).mul(p))};
    return Elementwise.unary(KERNEL, x, p, rule);
  }
}
