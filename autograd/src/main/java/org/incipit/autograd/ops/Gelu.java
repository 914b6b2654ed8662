package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.ErrorFunction;
import org.incipit.tensor.Kernel;

/**
 * The exact GELU (Hendrycks &amp; Gimpel 2016, arXiv:1606.08415) as one elementwise primitive, and
 * its derivative as a second one, so forward and backward are one pass each instead of the five
 * and about ten of the composite {@code Functional.geluReference} (the reference it is tested against).
 * <pre>
 * y = gelu(x)   = x·Φ(x) = ½x(1 + erf(x/√2))
 * gelu′(x)      = Φ(x) + x·φ(x),        φ(x) = e^(−x²/2) / √(2π)
 * gelu″(x)      = 2φ(x) + x·φ′(x) = φ(x)·(2 − x²)
 * </pre>
 * The backward rule is {@code gy · gelu′(x)} with gelu′ a primitive whose own rule (gelu″) is Tensor
 * code, so higher-order gradients work. The kernels evaluate y as the composite does,
 * x·(erf(x·√½) + 1)·½ (float32: the same bits as the composite); gelu′ reuses erf's e^(−t²), t = x·√½,
 * as e^(−x²/2). On OpenCL the same expressions run as elementwise kernels.
 */
public final class Gelu {
  private Gelu() {}

  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  public static final Kernel.Unary KERNEL = Kernel.unary("gelu",
      (a, s) -> a * (ErrorFunction.erf(a * SQRT_HALF) + 1) * 0.5, "a * (erf(a * 0.7071067811865476) + 1) * 0.5");

  public static final Kernel.Unary GRAD_KERNEL = Kernel.unary("gelu_grad",
      (a, s) -> (ErrorFunction.erf(a * SQRT_HALF) + 1) * 0.5 + a * StrictMath.exp(-0.5 * a * a) * INV_SQRT_2PI,
      "(erf(a * 0.7071067811865476) + 1) * 0.5 + a * exp(-0.5 * a * a) * 0.3989422804014327");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy.mul(grad(in[0]))};

  /** gelu″(x) = φ(x)·(2 − x²), in Tensor code. */
  static final BackwardRule GRAD_RULE = (gy, y, in) -> {
    Tensor x2 = in[0].square();
    Tensor phi = x2.mul(-0.5).exp().mul(INV_SQRT_2PI);
    return new Tensor[] {gy.mul(phi.mul(x2.neg().add(2.0)))};
  };

  /** gelu(x) elementwise; x must be floating. */
  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }

  /** gelu′(x) elementwise, differentiable again. */
  public static Tensor grad(Tensor x) {
    return Elementwise.unary(GRAD_KERNEL, x, 0, GRAD_RULE);
  }
}
