package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;

import org.incipit.autograd.Tensor;
import org.incipit.init.Distribution;
import org.incipit.init.FanMode;
import org.incipit.init.Fans;
import org.incipit.init.Gains;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.init.Orthogonal;
import org.incipit.init.TruncatedNormal;
import org.incipit.init.VarianceScaling;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Cdf;
import org.incipit.testkit.Gens;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The classic initializers (variance scaling in its three distributions, PyTorch's Linear
 * defaults, truncated normal, orthogonal) against their declared distributions with the test kit's
 * {@link SampleCheck}: mean, variance (χ² interval for normal samples, the kurtosis-aware interval
 * otherwise), bounds and Kolmogorov–Smirnov, each at α = {@link SampleCheck#DEFAULT_ALPHA} = 1e-6,
 * so this file's ~600 checks fail by chance with probability below 1e-3; the seeds are pinned.
 */
class ClassicInitializerProperties {
  private static final double ALPHA = SampleCheck.DEFAULT_ALPHA;
  /** The std of N(0, 1) cut to [−2, 2]: √(1 − 4φ(2)/(2Φ(2) − 1)). */
  private static final double TRUNCATED_STD = 0.87962566103423978;
  /**
   * E[x⁴]/σ⁴ of N(0, 1) cut to [−2, 2]: m₂ = 1 − 4φ(2)/Z, m₄ = 3m₂ − 16φ(2)/Z (Z = 2Φ(2) − 1),
   * m₄/m₂² = 1.41619/0.77374² = 2.36554. Scaling does not change it.
   */
  private static final double TRUNCATED_KURTOSIS = 2.3655367171296495;

  /**
   * The sample has mean 0 and std {@code std} ({@code kurtosis} chooses the variance interval) and
   * follows {@code cdf} by Kolmogorov–Smirnov.
   */
  private static void assertFollows(double[] w, double std, double kurtosis, Cdf cdf) {
    SampleCheck.assertMean(w, 0, std, ALPHA);
    SampleCheck.assertVariance(w, std * std, kurtosis, ALPHA);
    SampleCheck.assertDistribution(w, cdf, ALPHA);
  }

  /**
   * varianceScaling(2, mode, distribution) on (out, in, 3) kernels, out and in 16–300 (the ends
   * mixed in): σ² = 2/fan(mode); uniform values within ±√3σ, truncated ones within ±2σ' (σ' =
   * σ/0.8796), and each sample follows its distribution.
   */
  @Test
  void varianceScalingHasItsDistribution() {
    Gen<Shape> kernels = Gens.between(16, 300).zip(Gens.between(16, 300), (out, in) -> Shape.of(out, in, 3))
        .describedAs(Shape::toString);
    qt().withFixedSeed(20261130L).withExamples(40)
        .forAll(kernels, Generate.enumValues(FanMode.class), Generate.enumValues(Distribution.class), Gens.longs())
        .checkAssert((shape, mode, distribution, seed) -> {
          Fans fans = Fans.of(shape);
          VarianceScaling init = Initializers.varianceScaling(2.0, mode, distribution);
          double[] w = init.create(shape, fans, Rng.seeded(seed)).toDoubles();
          double std = Math.sqrt(2.0 / fans.select(mode));
          assertEquals(std, init.std(fans), 1e-12 * std, "declared std");
          switch (distribution) {
            case NORMAL -> assertFollows(w, std, SampleCheck.NORMAL_KURTOSIS, Cdf.normal(0, std));
            case UNIFORM -> {
              double bound = init.bound(fans);
              SampleCheck.assertWithin(w, -bound * (1 + 1e-6), bound * (1 + 1e-6)); // F32 rounding
              assertFollows(w, std, SampleCheck.UNIFORM_KURTOSIS, Cdf.uniform(-bound, bound));
            }
            case TRUNCATED_NORMAL -> {
              double s = std / TRUNCATED_STD;
              SampleCheck.assertWithin(w, -2 * s * (1 + 1e-6), 2 * s * (1 + 1e-6)); // F32 rounding of the bound
              assertFollows(w, std, TRUNCATED_KURTOSIS, Cdf.truncatedNormal(0, s, -2 * s, 2 * s));
            }
          }
        });
  }

  /** PyTorch's Linear weight is U(±1/√fan_in) (kaiming_uniform with a = √5), its bias too. */
  @Test
  void pytorchLinearDefaultIsUniformWithinOneOverSqrtFanIn() {
    Shape shape = Shape.of(200, 300);
    Fans fans = Fans.of(shape);
    double bound = 1 / Math.sqrt(300);
    assertEquals(bound, Initializers.pytorchDefaultWeight().bound(fans), 1e-15);
    double[] w = Initializers.pytorchDefaultWeight().create(shape, fans, Rng.seeded(1)).toDoubles();
    SampleCheck.assertWithin(w, -bound * (1 + 1e-6), bound * (1 + 1e-6));
    assertFollows(w, bound / Math.sqrt(3), SampleCheck.UNIFORM_KURTOSIS, Cdf.uniform(-bound, bound));
    double[] b = Initializers.pytorchDefaultBias().create(Shape.of(200), fans, Rng.seeded(2)).toDoubles();
    SampleCheck.assertWithin(b, -bound * (1 + 1e-6), bound * (1 + 1e-6));
    SampleCheck.assertMean(b, 0, bound / Math.sqrt(3), ALPHA);
    SampleCheck.assertDistribution(b, Cdf.uniform(-bound, bound), ALPHA);
  }

  /** Bounds are absolute (as in PyTorch's trunc_normal_), the std is the truncated one. */
  @Test
  void truncatedNormalHasAbsoluteBoundsAndTheKnownStd() {
    double[] v = new TruncatedNormal(0, 1, -2, 2).sample(200_000, Rng.seeded(5));
    SampleCheck.assertWithin(v, -2, 2);
    assertFollows(v, TRUNCATED_STD, TRUNCATED_KURTOSIS, Cdf.truncatedNormal(0, 1, -2, 2));
    // a, b are absolute: std 0.02 with ±2 is practically untruncated (the cut is at 100σ)
    double[] small = new TruncatedNormal(0, 0.02, -2, 2).sample(100_000, Rng.seeded(6));
    assertFollows(small, 0.02, SampleCheck.NORMAL_KURTOSIS, Cdf.normal(0, 0.02));
    // a mean outside [a, b] still yields values inside it, distributed as the conditioned normal
    double[] outside = new TruncatedNormal(5, 1, -1, 1).sample(1000, Rng.seeded(7));
    SampleCheck.assertWithin(outside, -1, 1);
    SampleCheck.assertDistribution(outside, Cdf.truncatedNormal(5, 1, -1, 1), ALPHA);
  }

  @Test
  void erfinvInvertsErf() {
    for (double y : new double[] {-0.999999, -0.9, -0.3, 0, 1e-9, 0.5, 0.99, 0.9999999}) {
      assertEquals(y, org.incipit.tensor.ErrorFunction.erf(TruncatedNormal.erfinv(y)), 1e-15 + 1e-13 * Math.abs(y));
    }
    assertEquals(Double.POSITIVE_INFINITY, TruncatedNormal.erfinv(1));
  }

  /**
   * orthogonal(1.5) on rows × cols, each 1–40 (1, 2 and 40 mixed in): W·Wᵀ = g²·I or Wᵀ·W = g²·I
   * within 2e-5 (F32 values, QR in float64: the Gram error of a rounded orthogonal matrix is about
   * √k·6e-8·g² ≈ 1e-6 at k = 40).
   */
  @Test
  void orthogonalRowsOrColumnsAreOrthonormal() {
    qt().withFixedSeed(7L).withExamples(20).forAll(Gens.between(1, 40), Gens.between(1, 40), Gens.longs())
        .checkAssert((rows, cols, seed) -> {
          Shape shape = Shape.of(rows, cols);
          Tensor w = Initializers.orthogonal(1.5).create(shape, Fans.of(shape), Rng.seeded(seed));
          SampleCheck.assertOrthogonal(w, 1.5, 2e-5);
        });
  }

  @Test
  void orthogonalOfAConvolutionKernel() {
    Shape shape = Shape.of(8, 4, 3, 3); // rows 8, cols 36: W Wᵀ = I
    SampleCheck.assertOrthogonal(new Orthogonal(1).create(shape, Fans.of(shape), Rng.seeded(3)), 1, 2e-5);
  }

  @Test
  void sameSeedSameValuesDifferentStreamDifferentValues() {
    Shape shape = Shape.of(10, 10);
    Initializer init = Initializers.heNormal();
    assertArrayEquals(init.create(shape, Fans.of(shape), Rng.seeded(1).fork("a")).toDoubles(),
        init.create(shape, Fans.of(shape), Rng.seeded(1).fork("a")).toDoubles(), 0.0);
    assertNotEquals(init.create(shape, Fans.of(shape), Rng.seeded(1).fork("a")).toDoubles()[0],
        init.create(shape, Fans.of(shape), Rng.seeded(1).fork("b")).toDoubles()[0]);
    assertEquals(Initializers.heNormal(), Initializers.kaimingNormal(0, FanMode.IN, "relu"), "initializers are values");
  }

  @Test
  void fansFollowTheOutInKernelLayout() {
    assertEquals(new Fans(36, 72), Fans.of(Shape.of(8, 4, 3, 3)));
    assertEquals(new Fans(4 * 9, 2 * 9), Fans.ofGrouped(Shape.of(8, 4, 3, 3), 4), "grouped fan_out");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fans.of(Shape.of(7)));
    assertTrue(e.getMessage().contains("at least 2 dimensions"));
    assertEquals(Math.sqrt(2.0 / 1.04), Gains.of("leaky_relu", 0.2), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Gains.of("swish"));
  }
}
