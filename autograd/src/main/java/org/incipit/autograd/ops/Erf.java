package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * The error function, used by the exact GELU.
 * <pre>
 * y = erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt,   dy/dx = (2/√π) e^(−x²)
 * </pre>
 * Java has no erf, so {@link #erf(double)} computes it to about 1e-15 relative: for |x| &lt; 3 the
 * series (2/√π) e^(−x²) Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), whose terms are all positive (no
 * cancellation); for |x| ≥ 3 the continued fraction of erfc (Abramowitz &amp; Stegun 7.1.14),
 * evaluated by the modified Lentz method.
 */
public final class Erf {
  private Erf() {}

  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  public static final Kernel.Unary KERNEL = Kernel.unary("erf", (a, s) -> erf(a), "erf(a)");

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {
      gy.mul(in[0].square().neg().exp().mul(TWO_OVER_SQRT_PI))};

  public static Tensor apply(Tensor x) {
    return Elementwise.unary(KERNEL, x, 0, RULE);
  }

  /** erf(x) in double precision. */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    double r;
    if (ax < 3.0) {
      double x2 = ax * ax;
      double term = ax;
      double sum = ax;
      for (int n = 1; n < 200 && term > sum * 1e-17; n++) {
        term *= 2.0 * x2 / (2 * n + 1);
        sum += term;
      }
      r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    } else if (ax < 6.5) {
      r = 1.0 - erfcContinuedFraction(ax);
    } else {
      r = 1.0;
    }
    return x < 0 ? -r : r;
  }

  /** erfc(x) for x ≥ 3: e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
  private static double erfcContinuedFraction(double x) {
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int n = 1; n < 500; n++) {
      double an = n / 2.0;
      d = x + an * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = x + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
}
