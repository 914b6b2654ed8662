package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.incipit.init.lora.LowRankFactors;
import org.incipit.init.lora.PeftInits;
import org.incipit.testkit.Cdf;
import org.incipit.testkit.SampleCheck;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The random PEFT LoRA inits draw what they claim: default A ~ U(±1/√n) (bounds, mean, variance
 * 1/(3n), Kolmogorov–Smirnov), gaussian A ~ N(0, 1/r²) (mean, χ² variance, KS), B = 0 in both.
 * Samples of 64 × 160 =
 * 10,240 values, seeds pinned, each check at SampleCheck.DEFAULT_ALPHA (false alarm 1e−6).
 */
class LoraRandomInitSamplesTest {
  private static final double ALPHA = SampleCheck.DEFAULT_ALPHA;

  private static double[] flat(double[][] a) {
    return Arrays.stream(a).flatMapToDouble(Arrays::stream).toArray();
  }

  @Test
  void defaultAIsKaimingUniformAndBIsZero() {
    int r = 64;
    int n = 160;
    LowRankFactors f = PeftInits.kaimingDefault(new double[r][n], r, Rng.seeded(101));
    double bound = 1 / Math.sqrt(n);
    double[] a = flat(f.a());
    SampleCheck.assertWithin(a, -bound, bound);
    SampleCheck.assertMean(a, 0, bound / Math.sqrt(3), ALPHA);
    SampleCheck.assertVariance(a, bound * bound / 3, SampleCheck.UNIFORM_KURTOSIS, ALPHA);
    SampleCheck.assertDistribution(a, Cdf.uniform(-bound, bound), ALPHA);
    assertEquals(0.0, Arrays.stream(flat(f.b())).map(Math::abs).max().orElseThrow());
  }

  @Test
  void gaussianAHasStdOneOverR() {
    int r = 64;
    LowRankFactors f = PeftInits.gaussian(new double[r][160], r, Rng.seeded(102));
    double[] a = flat(f.a());
    SampleCheck.assertMean(a, 0, 1.0 / r, ALPHA);
    SampleCheck.assertVariance(a, 1.0 / (r * r), SampleCheck.NORMAL_KURTOSIS, ALPHA);
    SampleCheck.assertDistribution(a, Cdf.normal(0, 1.0 / r), ALPHA);
    assertEquals(0.0, Arrays.stream(flat(f.b())).map(Math::abs).max().orElseThrow());
  }
}
