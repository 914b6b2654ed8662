package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Logistic sigmoid, computed without overflow for any x.
 * <pre>
 * y = σ(x) = 1/(1 + e⁻ˣ)  (x ≥ 0),   eˣ/(1 + eˣ)  (x &lt; 0)
 * dy/dx = y(1 − y)
 * </pre>
 */
public final class Sigmoid {
  private Sigmoid() {}

  public static final Kernel.Unary KERNEL = Kernel.unary("sigmoid", (a, s) -> sigmoid(a),
      "a >= 0 ? 1/(1+exp(-a)) : exp(a)/(1+exp(a))");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(y.mul(y.rsub(1.0)))};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }

  static double sigmoid(double a) {
    if (a >= 0) {
      return 1.0 / (1.0 + StrictMath.exp(-a));
    }
    double e = StrictMath.exp(a);
    return e / (1.0 + e);
  }
}
