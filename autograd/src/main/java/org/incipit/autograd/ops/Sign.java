package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Sign: −1, 0 or +1 (NaN stays NaN). Piecewise constant, so its gradient is zero everywhere it is
 * defined; the rule returns no gradient.
 */
public final class Sign {
  private Sign() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("sign", (a, s) -> Math.signum(a),
      "isnan(a) ? a : sign(a)"); // OpenCL's sign(NaN) is 0

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {null};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }
}
