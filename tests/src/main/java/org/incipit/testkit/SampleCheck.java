package org.incipit.testkit;

import java.util.Arrays;
import org.incipit.autograd.Tensor;

/**
 * Statistical assertions for initializer samples, each with a stated false-alarm probability
 * {@code alpha}: the chance that the assertion fails although the sample really comes from the
 * declared distribution. Pin the seed of the sample as well, so a failure is reproducible; with
 * {@link #DEFAULT_ALPHA} a suite of a thousand such checks fails by chance with probability ≈ 1e-3.
 *
 * <pre>
 * mean:         |x̄ − μ| ≤ z(1−α/2)·σ/√n                               (exact for normal samples, CLT otherwise)
 * variance:     (n−1)s²/σ² inside the χ²(n−1) interval [α/2, 1−α/2]   (normal samples, kurtosis 3)
 *               s² inside σ² ± z(1−α/2)·σ²·√((κ − (n−3)/(n−1))/n)       (kurtosis κ: 1.8 uniform; CLT)
 * bounds:       every value in [lo, hi]                                  (no false alarms)
 * distribution: Kolmogorov–Smirnov, Q((√n + 0.12 + 0.11/√n)·D) ≥ α       (Stephens' small-n correction)
 * orthogonal:   W·Wᵀ = g²·I (rows ≤ cols) or Wᵀ·W = g²·I, max error ≤ tol (no false alarms)
 * </pre>
 * Failures are {@link AssertionError}s naming the statistic, the interval, n and α, so any test
 * framework reports them.
 *
 * <p>Example: a user's initializer held to N(0, 2/fanIn):
 * <pre>{@code
 * double[] w = myInit.create(Shape.of(256, 512), Fans.of(Shape.of(256, 512)), Rng.seeded(7)).toDoubles();
 * double std = Math.sqrt(2.0 / 512);
 * SampleCheck.assertMean(w, 0, std, SampleCheck.DEFAULT_ALPHA);
 * SampleCheck.assertVariance(w, std * std, SampleCheck.NORMAL_KURTOSIS, SampleCheck.DEFAULT_ALPHA);
 * SampleCheck.assertDistribution(w, Cdf.normal(0, std), SampleCheck.DEFAULT_ALPHA);
 * }</pre>
 */
public final class SampleCheck {
  /** The false-alarm probability the project's own tests use for one assertion. */
  public static final double DEFAULT_ALPHA = 1e-6;
  /** E[(x−μ)⁴]/σ⁴ of a normal distribution. */
  public static final double NORMAL_KURTOSIS = 3.0;
  /** E[(x−μ)⁴]/σ⁴ of a uniform distribution. */
  public static final double UNIFORM_KURTOSIS = 1.8;

  private SampleCheck() {}

  /** Sample size, mean, unbiased variance, extremes. */
  public record Moments(int n, double mean, double variance, double min, double max) {
    public double std() {
      return Math.sqrt(variance);
    }
  }

  public static Moments moments(double[] x) {
    requireSample(x, 2);
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double ss = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return new Moments(x.length, mean, ss / (x.length - 1), min, max);
  }

  /** The sample mean lies within z(1−α/2)·σ/√n of {@code mean}, σ being the declared {@code std}. */
  public static void assertMean(double[] x, double mean, double std, double alpha) {
    Moments m = moments(x);
    double half = StatMath.normalQuantile(1 - checkAlpha(alpha) / 2) * std / Math.sqrt(m.n());
    if (!(Math.abs(m.mean() - mean) <= half)) {
      throw new AssertionError(String.format("mean %.6g is outside %.6g ± %.3g (n = %d, declared std %.4g, α = %.1e)",
          m.mean(), mean, half, m.n(), std, alpha));
    }
  }

  /**
   * The unbiased sample variance is consistent with {@code variance} for a distribution of the given
   * {@code kurtosis} (E[(x−μ)⁴]/σ⁴): the χ²(n−1) interval when it is 3, the asymptotic normal interval
   * of s² otherwise. Needs n ≥ 30.
   */
  public static void assertVariance(double[] x, double variance, double kurtosis, double alpha) {
    requireSample(x, 30);
    checkAlpha(alpha);
    if (!(variance > 0) || !(kurtosis >= 1)) {
      throw new IllegalArgumentException("assertVariance: need variance > 0 and kurtosis ≥ 1, got " + variance
          + ", " + kurtosis);
    }
    Moments m = moments(x);
    int n = m.n();
    double lo;
    double hi;
    if (kurtosis == NORMAL_KURTOSIS) {
      lo = variance * StatMath.chiSquareQuantile(alpha / 2, n - 1) / (n - 1);
      hi = variance * StatMath.chiSquareQuantile(1 - alpha / 2, n - 1) / (n - 1);
    } else {
      double se = variance * Math.sqrt((kurtosis - (n - 3.0) / (n - 1)) / n);
      double z = StatMath.normalQuantile(1 - alpha / 2);
      lo = variance - z * se;
      hi = variance + z * se;
    }
    if (!(m.variance() >= lo && m.variance() <= hi)) {
      throw new AssertionError(String.format("variance %.6g is outside [%.6g, %.6g] around %.6g (n = %d, kurtosis %.3g,"
          + " α = %.1e)", m.variance(), lo, hi, variance, n, kurtosis, alpha));
    }
  }

  /** Every value lies in [lo, hi]; the error names the first one outside and its index. */
  public static void assertWithin(double[] x, double lo, double hi) {
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] >= lo && x[i] <= hi)) {
        throw new AssertionError("value " + x[i] + " at index " + i + " of " + x.length + " is outside [" + lo + ", "
            + hi + "]");
      }
    }
  }

  /**
   * One-sample Kolmogorov–Smirnov test: fails when the sample's empirical CDF is farther from
   * {@code cdf} than a true sample of the same size would be with probability {@code alpha}.
   */
  public static void assertDistribution(double[] x, Cdf cdf, double alpha) {
    requireSample(x, 2);
    checkAlpha(alpha);
    double[] s = x.clone();
    Arrays.sort(s);
    int n = s.length;
    double d = 0;
    double where = s[0];
    for (int i = 0; i < n; i++) {
      double f = cdf.at(s[i]);
      double gap = Math.max(f - (double) i / n, (i + 1.0) / n - f);
      if (gap > d) {
        d = gap;
        where = s[i];
      }
    }
    double sqrtN = Math.sqrt(n);
    double p = StatMath.kolmogorovTail((sqrtN + 0.12 + 0.11 / sqrtN) * d);
    if (!(p >= alpha)) {
      throw new AssertionError(String.format("Kolmogorov–Smirnov: D = %.4g at x = %.4g, p = %.3g < α = %.1e (n = %d):"
          + " the sample does not follow the declared distribution", d, where, p, alpha, n));
    }
  }

  /**
   * The (rows × cols) row-major matrix {@code w} is a scaled semi-orthogonal matrix: W·Wᵀ = g²·I
   * when rows ≤ cols, Wᵀ·W = g²·I otherwise, each entry within {@code tol}.
   */
  public static void assertOrthogonal(double[] w, int rows, int cols, double gain, double tol) {
    if (w.length != (long) rows * cols) {
      throw new IllegalArgumentException("assertOrthogonal: " + w.length + " values are not " + rows + " × " + cols);
    }
    boolean byRows = rows <= cols;
    int k = byRows ? rows : cols;
    int len = byRows ? cols : rows;
    double worst = 0;
    int wi = 0;
    int wj = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j <= i; j++) {
        double dot = 0;
        for (int t = 0; t < len; t++) {
          dot += byRows ? w[i * cols + t] * w[j * cols + t] : w[t * cols + i] * w[t * cols + j];
        }
        double err = Math.abs(dot - (i == j ? gain * gain : 0));
        if (!(err <= worst)) {
          worst = err;
          wi = i;
          wj = j;
        }
      }
    }
    if (!(worst <= tol)) {
      throw new AssertionError(String.format("not orthogonal: (%s)[%d, %d] is off by %.3g (tol %.1e, gain %.4g, %d × %d)",
          byRows ? "W·Wᵀ" : "Wᵀ·W", wi, wj, worst, tol, gain, rows, cols));
    }
  }

  /** {@link #assertOrthogonal(double[], int, int, double, double)} on a weight read as (shape[0], Π rest). */
  public static void assertOrthogonal(Tensor w, double gain, double tol) {
    if (w.shape().rank() < 2) {
      throw new IllegalArgumentException("assertOrthogonal: needs a tensor of rank ≥ 2, got shape " + w.shape());
    }
    int rows = w.shape().dim(0);
    assertOrthogonal(w.toDoubles(), rows, w.numel() / rows, gain, tol);
  }

  private static double checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 0.5)) {
      throw new IllegalArgumentException("false-alarm probability α must be in (0, 0.5), got " + alpha);
    }
    return alpha;
  }

  private static void requireSample(double[] x, int min) {
    if (x.length < min) {
      throw new IllegalArgumentException("need a sample of at least " + min + " values, got " + x.length);
    }
  }
}
