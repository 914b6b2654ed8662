package org.incipit.testkit;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The sample checks pass true samples, catch wrong ones, and fail by chance at the rate they state.
 * Seeds are pinned; the calibration tolerance is explained beside it.
 */
class SampleCheckTest {
  private static final double A = SampleCheck.DEFAULT_ALPHA;

  @Test
  void trueNormalAndUniformSamplesPass() {
    double[] z = Rng.seeded(1).normal(100_000, 0.5, 0.2);
    SampleCheck.assertMean(z, 0.5, 0.2, A);
    SampleCheck.assertVariance(z, 0.04, SampleCheck.NORMAL_KURTOSIS, A);
    SampleCheck.assertDistribution(z, Cdf.normal(0.5, 0.2), A);
    double[] u = Rng.seeded(2).uniform(100_000, -3, 1);
    SampleCheck.assertWithin(u, -3, 1);
    SampleCheck.assertVariance(u, 16.0 / 12, SampleCheck.UNIFORM_KURTOSIS, A);
    SampleCheck.assertDistribution(u, Cdf.uniform(-3, 1), A);
  }

  @Test
  void wrongSamplesAreCaughtAndTheMessageSaysWhy() {
    double[] z = Rng.seeded(3).normal(100_000, 0, 1.03); // variance 6% too large
    AssertionError v = assertThrows(AssertionError.class,
        () -> SampleCheck.assertVariance(z, 1.0, SampleCheck.NORMAL_KURTOSIS, A));
    assertTrue(v.getMessage().startsWith("variance 1.06"), v.getMessage());
    double[] u = Rng.seeded(4).uniform(20_000, -Math.sqrt(3), Math.sqrt(3)); // unit variance, wrong shape
    SampleCheck.assertVariance(u, 1.0, SampleCheck.UNIFORM_KURTOSIS, A);
    AssertionError ks = assertThrows(AssertionError.class, () -> SampleCheck.assertDistribution(u, Cdf.normal(0, 1), A));
    assertTrue(ks.getMessage().contains("Kolmogorov"), ks.getMessage());
    // a shift of 10 standard errors: the 4.9-SE band at α = 1e-6 misses it with probability < 1e-7
    assertThrows(AssertionError.class, () -> SampleCheck.assertMean(Rng.seeded(5).normal(10_000, 0.1, 1), 0, 1, A));
    AssertionError b = assertThrows(AssertionError.class, () -> SampleCheck.assertWithin(new double[] {0, 2, 5}, 0, 4));
    assertEquals("value 5.0 at index 2 of 3 is outside [0.0, 4.0]", b.getMessage());
  }

  @Test
  void falseAlarmRatesMatchTheStatedAlpha() {
    // 2000 true samples at α = 0.05: the count of false alarms is Binomial(2000, 0.05), mean 100, sd 9.7;
    // ±40 is more than 4 sd, and every draw is pinned. A test whose α is off by 40% fails here.
    int trials = 2000;
    int mean = 0;
    int var = 0;
    int ks = 0;
    Rng rng = Rng.seeded(20261207);
    for (int t = 0; t < trials; t++) {
      double[] x = rng.fork(t).normal(200);
      mean += fails(() -> SampleCheck.assertMean(x, 0, 1, 0.05));
      var += fails(() -> SampleCheck.assertVariance(x, 1, SampleCheck.NORMAL_KURTOSIS, 0.05));
      ks += fails(() -> SampleCheck.assertDistribution(x, Cdf.normal(0, 1), 0.05));
    }
    assertEquals(100, mean, 40, "mean test false alarms");
    assertEquals(100, var, 40, "variance test false alarms");
    // Stephens' corrected asymptotic KS is slightly conservative at n = 200
    assertEquals(100, ks, 40, "KS false alarms");
  }

  @Test
  void orthogonalityIsCheckedOnTheShorterSide() {
    double c = Math.cos(0.3);
    double s = Math.sin(0.3);
    SampleCheck.assertOrthogonal(new double[] {c, -s, 0, s, c, 0}, 2, 3, 1, 1e-12); // orthonormal rows
    SampleCheck.assertOrthogonal(new double[] {2 * c, -2 * s, 2 * s, 2 * c, 0, 0}, 3, 2, 2, 1e-12); // columns, gain 2
    AssertionError e = assertThrows(AssertionError.class,
        () -> SampleCheck.assertOrthogonal(new double[] {1, 0.1, 0, 1}, 2, 2, 1, 1e-6));
    assertTrue(e.getMessage().startsWith("not orthogonal: (W·Wᵀ)[1, 0] is off by 0.1"), e.getMessage());
  }

  @Test
  void specialFunctionsMatchKnownValues() {
    assertEquals(0.15729920705028513, StatMath.erfc(1), 2e-8);
    assertEquals(1.959963984540054, StatMath.normalQuantile(0.975), 1e-6);
    assertEquals(4.891638475698, StatMath.normalQuantile(1 - 5e-7), 1e-5);
    assertEquals(124.342, StatMath.chiSquareQuantile(0.95, 100), 0.05); // tables: χ²₀.₉₅(100) = 124.342
    assertEquals(0.05, StatMath.kolmogorovTail(1.3581), 1e-4); // the classic 5% critical value
  }

  private static int fails(Runnable check) {
    try {
      check.run();
      return 0;
    } catch (AssertionError e) {
      return 1;
    }
  }
}
