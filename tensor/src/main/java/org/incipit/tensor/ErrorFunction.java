package org.incipit.tensor;

/**
 * The error function erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt, which Java lacks.
 *
 * <p>{@link #reference(double)} computes it to about 1e-16 slowly: for |x| &lt; 2.5 the series
 * (2/√π) e^(−x²) Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), whose terms are all positive (summed with Kahan
 * compensation); for |x| ≥ 2.5 the continued fraction of erfc (Abramowitz &amp; Stegun 7.1.14) by
 * the modified Lentz method. {@link #erf(double)} — what kernels use — is fast: its Taylor series
 * for |x| &lt; ½, and on [½, 6) Chebyshev interpolants (evaluated by Clenshaw's recurrence) on
 * intervals of width 1/16, fitted to {@link #reference} at Chebyshev nodes when the class loads;
 * ±1 beyond 6, where erfc(6) ≈ 2e-17 is below half an ulp of 1. {@code ErfTest} bounds the
 * difference by 4e-15 (a few ulps). {@link #chebyshev} is the fitting step, also used by the
 * vectorised float kernels.
 */
public final class ErrorFunction {
  private ErrorFunction() {}

  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
  private static final double START = 0.5;
  private static final double END = 6.0;
  private static final int PER_UNIT = 16;
  private static final int DEGREE = 9;
  private static final double[] TAYLOR = taylor(16);
  private static final double[][] PIECES = pieces();

  /** erf(x) in double precision (fast). */
  public static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < START) {
      double x2 = ax * ax;
      double p = TAYLOR[TAYLOR.length - 1];
      for (int i = TAYLOR.length - 2; i >= 0; i--) {
        p = p * x2 + TAYLOR[i];
      }
      r = ax * p;
    } else if (ax < END) {
      int k = (int) ((ax - START) * PER_UNIT);
      double u = ((ax - START) * PER_UNIT - k) * 2 - 1; // position inside the interval, in [−1, 1]
      double[] c = PIECES[k];
      double b1 = 0; // Clenshaw: Σ cₘ Tₘ(u), stable up to the interval ends
      double b2 = 0;
      for (int m = DEGREE; m >= 1; m--) {
        double b0 = 2 * u * b1 - b2 + c[m];
        b2 = b1;
        b1 = b0;
      }
      r = u * b1 - b2 + c[0];
    } else if (ax >= END) {
      r = 1.0;
    } else {
      return x; // NaN
    }
    return x < 0 ? -r : r;
  }

  /** (2/√π)·(−1)ⁿ / (n!·(2n+1)): erf(x) = x·Σₙ cₙ x²ⁿ. */
  private static double[] taylor(int terms) {
    double[] c = new double[terms];
    double factorial = 1;
    for (int n = 0; n < terms; n++) {
      if (n > 0) {
        factorial *= n;
      }
      c[n] = TWO_OVER_SQRT_PI * (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1));
    }
    return c;
  }

  /**
   * Chebyshev coefficients c₀…c_d of the degree-d interpolant of {@code f} on [lo, hi] at the
   * Chebyshev nodes: f(x) ≈ Σ cₘ Tₘ(u) with u = (2x − lo − hi)/(hi − lo).
   */
  public static double[] chebyshev(java.util.function.DoubleUnaryOperator f, double lo, double hi, int degree) {
    int nodes = degree + 1;
    double mid = (lo + hi) / 2;
    double half = (hi - lo) / 2;
    double[] v = new double[nodes];
    for (int j = 0; j < nodes; j++) {
      v[j] = f.applyAsDouble(mid + half * StrictMath.cos(Math.PI * (j + 0.5) / nodes));
    }
    double[] cheb = new double[nodes];
    for (int m = 0; m < nodes; m++) {
      double s = 0;
      for (int j = 0; j < nodes; j++) {
        s += v[j] * StrictMath.cos(Math.PI * m * (j + 0.5) / nodes);
      }
      cheb[m] = (m == 0 ? 1.0 : 2.0) * s / nodes;
    }
    return cheb;
  }

  /** Chebyshev coefficients (in u ∈ [−1, 1]) of the interpolant on each interval. */
  private static double[][] pieces() {
    int count = (int) Math.round((END - START) * PER_UNIT);
    int nodes = DEGREE + 1;
    double[][] out = new double[count][];
    for (int k = 0; k < count; k++) {
      double lo = START + (double) k / PER_UNIT;
      double half = 0.5 / PER_UNIT;
      out[k] = chebyshev(ErrorFunction::reference, lo, lo + 2 * half, DEGREE);
    }
    return out;
  }

  /** erf(x) by series and continued fraction: slow, accurate to about 1e-16; the oracle of {@link #erf}. */
  public static double reference(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    double r;
    if (ax < 2.5) {
      double x2 = ax * ax;
      double term = ax;
      double sum = ax;
      double lost = 0; // Kahan compensation: the sum is accurate to an ulp, not to n ulps
      for (int n = 1; n < 200 && term > sum * 1e-18; n++) {
        term *= 2.0 * x2 / (2 * n + 1);
        double y = term - lost;
        double t = sum + y;
        lost = (t - sum) - y;
        sum = t;
      }
      r = TWO_OVER_SQRT_PI * StrictMath.exp(-x2) * sum;
    } else if (ax < 6.5) {
      r = 1.0 - erfcContinuedFraction(ax);
    } else {
      r = 1.0;
    }
    return x < 0 ? -r : r;
  }

  /** erfc(x) for x ≥ 2.5: e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
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
    return StrictMath.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
}
