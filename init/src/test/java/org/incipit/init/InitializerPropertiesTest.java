package org.incipit.init;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * Samples match their analytic moments and bounds. Tolerances: the sample variance of n normal
 * values has relative standard error √(2/n), of n uniform values √(0.8/n); a band of 5 standard
 * errors fails by chance with probability below 1e-6 per check, and the seeds are pinned.
 */
class InitializerPropertiesTest {
  private static double[] moments(Tensor t) {
    double[] v = t.toDoubles();
    double m = 0;
    double s = 0;
    double max = 0;
    for (double x : v) {
      m += x / v.length;
    }
    for (double x : v) {
      s += (x - m) * (x - m) / v.length;
      max = Math.max(max, Math.abs(x));
    }
    return new double[] {m, s, max, v.length};
  }

  private static void assertVariance(double expected, double[] mom, double relStdErr) {
    double n = mom[3];
    assertEquals(expected, mom[1], 5 * relStdErr / Math.sqrt(n) * expected, "variance");
    assertEquals(0, mom[0], 5 * Math.sqrt(expected / n), "mean");
  }

  @Property(tries = 40, seed = "20261130")
  void varianceScalingHasItsVariance(@ForAll @IntRange(min = 16, max = 300) int out,
                                     @ForAll @IntRange(min = 16, max = 300) int in,
                                     @ForAll FanMode mode, @ForAll Distribution distribution, @ForAll long seed) {
    Shape shape = Shape.of(out, in, 3);
    Fans fans = Fans.of(shape);
    VarianceScaling init = Initializers.varianceScaling(2.0, mode, distribution);
    double[] mom = moments(init.create(shape, fans, Rng.seeded(seed)));
    double expected = 2.0 / fans.select(mode);
    // truncated normal: Var(x²)/σ⁴ of N(0,1) cut at ±2, rescaled, is below the normal's 2
    assertVariance(expected, mom, distribution == Distribution.UNIFORM ? Math.sqrt(0.8) : Math.sqrt(2));
    if (distribution == Distribution.UNIFORM) {
      assertTrue(mom[2] <= init.bound(fans) * (1 + 1e-6), "uniform bound");
    }
    if (distribution == Distribution.TRUNCATED_NORMAL) {
      assertTrue(mom[2] <= 2 * init.std(fans) / 0.87962566103423978 * (1 + 1e-6), "truncated at ±2σ'");
    }
  }

  @Test
  void pytorchLinearDefaultIsBoundedByOneOverSqrtFanIn() {
    Shape shape = Shape.of(200, 300);
    Fans fans = Fans.of(shape);
    double[] w = moments(Initializers.pytorchDefaultWeight().create(shape, fans, Rng.seeded(1)));
    assertTrue(w[2] <= 1 / Math.sqrt(300) * (1 + 1e-6));
    assertVariance(1.0 / (3 * 300), w, Math.sqrt(0.8));
    assertEquals(1 / Math.sqrt(300), Initializers.pytorchDefaultWeight().bound(fans), 1e-15);
    double[] b = moments(Initializers.pytorchDefaultBias().create(Shape.of(200), fans, Rng.seeded(2)));
    assertTrue(b[2] <= 1 / Math.sqrt(300) * (1 + 1e-6) && b[2] > 0.5 / Math.sqrt(300));
  }

  @Test
  void truncatedNormalHasAbsoluteBoundsAndTheKnownStd() {
    TruncatedNormal t = new TruncatedNormal(0, 1, -2, 2);
    double[] v = t.sample(200_000, Rng.seeded(5));
    double s = 0;
    for (double x : v) {
      assertTrue(x >= -2 && x <= 2);
      s += x * x / v.length;
    }
    assertEquals(0.87962566103423978, Math.sqrt(s), 0.005); // std of N(0,1) truncated to [-2, 2]
    // a, b are absolute: std 0.02 with ±2 is practically untruncated
    double[] small = new TruncatedNormal(0, 0.02, -2, 2).sample(100_000, Rng.seeded(6));
    double s2 = 0;
    for (double x : small) {
      s2 += x * x / small.length;
    }
    assertEquals(0.02, Math.sqrt(s2), 0.02 * 5 * Math.sqrt(0.5 / small.length) * 2);
    // a mean outside [a, b] still yields values inside it
    for (double x : new TruncatedNormal(5, 1, -1, 1).sample(1000, Rng.seeded(7))) {
      assertTrue(x >= -1 && x <= 1);
    }
  }

  @Test
  void erfinvInvertsErf() {
    for (double y : new double[] {-0.999999, -0.9, -0.3, 0, 1e-9, 0.5, 0.99, 0.9999999}) {
      assertEquals(y, org.incipit.tensor.ErrorFunction.erf(TruncatedNormal.erfinv(y)), 1e-15 + 1e-13 * Math.abs(y));
    }
    assertEquals(Double.POSITIVE_INFINITY, TruncatedNormal.erfinv(1));
  }

  @Property(tries = 20, seed = "7")
  void orthogonalRowsOrColumnsAreOrthonormal(@ForAll @IntRange(min = 1, max = 40) int rows,
                                             @ForAll @IntRange(min = 1, max = 40) int cols, @ForAll long seed) {
    double gain = 1.5;
    Tensor w = Initializers.orthogonal(gain).create(Shape.of(rows, cols), Fans.of(Shape.of(rows, cols)), Rng.seeded(seed));
    Tensor gram = rows <= cols ? w.matmul(w.transpose(0, 1)) : w.transpose(0, 1).matmul(w);
    double[] g = gram.toDoubles();
    int k = Math.min(rows, cols);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        assertEquals(i == j ? gain * gain : 0, g[i * k + j], 2e-5, "gram[" + i + "," + j + "]");
      }
    }
  }

  @Test
  void orthogonalOfAConvolutionKernel() {
    Shape shape = Shape.of(8, 4, 3, 3); // rows 8, cols 36: W Wᵀ = I
    Tensor w = new Orthogonal(1).create(shape, Fans.of(shape), Rng.seeded(3)).reshape(8, 36);
    double[] g = w.matmul(w.transpose(0, 1)).toDoubles();
    for (int i = 0; i < 8; i++) {
      assertEquals(1, g[i * 8 + i], 2e-5);
    }
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
