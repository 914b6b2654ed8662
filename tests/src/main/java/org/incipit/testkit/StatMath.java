package org.incipit.testkit;

/**
 * The few special functions the sample checks need, in plain double arithmetic (StrictMath only),
 * so a check gives the same verdict in every JVM.
 */
final class StatMath {
  private StatMath() {}

  /**
   * erfc(z) by the Chebyshev-fitted rational form of Press et al., Numerical Recipes (2nd ed., §6.2):
   * fractional error below 1.2e-7 everywhere.
   */
  static double erfc(double z) {
    double a = Math.abs(z);
    double t = 1 / (1 + 0.5 * a);
    double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    double r = t * StrictMath.exp(-a * a + poly);
    return z >= 0 ? r : 2 - r;
  }

  /** Φ(z), the standard normal CDF. */
  static double normalCdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /** Φ⁻¹(p) by bisection on {@link #normalCdf}; exact to the accuracy of erfc. */
  static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("normal quantile needs 0 < p < 1, got " + p);
    }
    double lo = -40;
    double hi = 40;
    for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
      double mid = 0.5 * (lo + hi);
      if (normalCdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /**
   * The p-quantile of χ²(k) by the Wilson–Hilferty cube: k·(1 − 2/(9k) + z_p·√(2/(9k)))³, whose
   * relative error is below 1e-3 for k ≥ 30 at the tails used here (callers need k ≥ 30).
   */
  static double chiSquareQuantile(double p, double k) {
    double c = 2 / (9 * k);
    double q = 1 - c + normalQuantile(p) * Math.sqrt(c);
    return k * q * q * q;
  }

  /**
   * P(K > λ) for the Kolmogorov distribution, Q(λ) = 2·Σₖ (−1)^(k−1)·exp(−2k²λ²): the asymptotic
   * p-value of √n·D for a one-sample Kolmogorov–Smirnov statistic D.
   */
  static double kolmogorovTail(double lambda) {
    if (lambda < 0.2) {
      return 1; // the series converges slowly here and Q > 0.9999999
    }
    double sum = 0;
    for (int k = 1; k <= 100; k++) {
      double term = StrictMath.exp(-2.0 * k * k * lambda * lambda);
      sum += (k % 2 == 1 ? term : -term);
      if (term < 1e-18) {
        break;
      }
    }
    return Math.min(1, Math.max(0, 2 * sum));
  }
}
