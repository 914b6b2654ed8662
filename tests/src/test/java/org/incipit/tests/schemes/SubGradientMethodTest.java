package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.incipit.init.linalg.Mat;
import org.incipit.init.matrix.Sensing;
import org.incipit.init.matrix.SubGradientMethod;
import org.incipit.init.matrix.SubGradientMethod.Schedule;
import org.incipit.tensor.Rng;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/** Holds {@link SubGradientMethod} (Ma &amp; Fattahi 2023, arXiv:2202.08788) to its formulas and its claim. */
class SubGradientMethodTest {
  /**
   * Where no residual is within 1e−3 of zero, f is smooth in a ball of radius ≫ h around U, so the
   * sub-gradient D is the gradient: central differences (h = 1e−6, error O(h²)·‖∇²f‖ ≈ 1e−11)
   * agree with D to 1e−6 absolute.
   */
  @Test
  void subgradientMatchesFiniteDifferencesAwayFromKinks() {
    qt().withFixedSeed(13).withExamples(40).forAll(longs().between(0, 1_000_000), integers().between(1, 4))
        .checkAssert((seed, rPrime) -> {
          int d = 5;
          Rng rng = Rng.seeded(seed);
          Sensing a = Sensing.symmetricGaussian(30, d, rng.fork("a"));
          double[] xStar = Sensing.psdGroundTruth(d, new double[] {1}, rng.fork("x"));
          double[] y = SubGradientMethod.withOutliers(a.apply(xStar), 0.2, 5, rng.fork("s"));
          double[] u = rng.fork("u").normal(d * rPrime, 0, 0.5);
          double[] res = Mat.sub(a.apply(Mat.mulT(u, u, d, rPrime, d)), y);
          if (java.util.Arrays.stream(res).anyMatch(r -> Math.abs(r) < 1e-3)) {
            return; // on or near a kink: the one-sided derivatives differ, nothing to compare
          }
          double[] g = SubGradientMethod.subgradient(a, y, u, rPrime);
          double h = 1e-6;
          for (int i = 0; i < u.length; i++) {
            double[] up = u.clone();
            double[] dn = u.clone();
            up[i] += h;
            dn[i] -= h;
            double fd = (SubGradientMethod.loss(a, y, up, rPrime) - SubGradientMethod.loss(a, y, dn, rPrime)) / (2 * h);
            assertEquals(fd, g[i], 1e-6, "∂f/∂U[" + i + "], seed " + seed + ", r′ = " + rPrime);
          }
        });
  }

  /**
   * The spec's property, on a d = 10 miniature of the study (r = 1, r′ = d, m = 120, 10 % outliers of
   * N(0, 10²), η₀ = 0.05, ρ = 0.995, 1000 steps, escape needs ≈ log(1/α)/η₀ ≈ 140 steps at α = 1e−3):
   * the final error falls strictly as α goes 1 → 1e−1 → 1e−3, for each of 3 pinned seeds.
   */
  @Test
  void smallerAlphaGivesSmallerFinalErrorWhenOverParameterized() {
    int d = 10;
    for (long seed = 1; seed <= 3; seed++) {
      Rng rng = Rng.seeded(seed);
      Sensing a = Sensing.symmetricGaussian(120, d, rng.fork("a"));
      double[] xStar = Sensing.psdGroundTruth(d, new double[] {1}, rng.fork("x"));
      double[] y = SubGradientMethod.withOutliers(a.apply(xStar), 0.1, 10, rng.fork("s"));
      double previous = Double.POSITIVE_INFINITY;
      for (double alpha : new double[] {1, 1e-1, 1e-3}) {
        double[] u0 = SubGradientMethod.smallInit(d, d, alpha, rng.fork("u"));
        double err = SubGradientMethod.run(a, y, xStar, u0, d, new Schedule(0.05, 0.995, 1000)).finalError();
        assertTrue(err < previous, "seed " + seed + ": error " + err + " at α = " + alpha + " is not below " + previous);
        previous = err;
      }
    }
  }

  /** U₀'s 10⁴ entries are N(0, α²/d): mean and χ² variance bands, each with false-alarm rate 1e−6. */
  @Test
  void smallInitHasEntriesOfVarianceAlphaSquaredOverD() {
    double alpha = 1e-3;
    int d = 100;
    double[] u0 = SubGradientMethod.smallInit(d, 100, alpha, Rng.seeded(7));
    double std = alpha / Math.sqrt(d);
    SampleCheck.assertMean(u0, 0, std, 1e-6);
    SampleCheck.assertVariance(u0, std * std, SampleCheck.NORMAL_KURTOSIS, 1e-6);
  }

  /** ⌊p·m⌋ entries change, the others are untouched; α = 0 gives the zero factor. */
  @Test
  void outliersTouchExactlyTheirFractionAndZeroAlphaIsZero() {
    double[] y = new double[200];
    double[] s = SubGradientMethod.withOutliers(y, 0.1, 10, Rng.seeded(3));
    assertEquals(20, java.util.Arrays.stream(s).filter(v -> v != 0).count());
    assertTrue(java.util.Arrays.stream(SubGradientMethod.smallInit(4, 3, 0, Rng.seeded(1))).allMatch(v -> v == 0));
  }

  @Test
  void badInputIsNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Schedule(0.05, 1.5, 10));
    assertTrue(e.getMessage().contains("SubGM") && e.getMessage().contains("ρ"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SubGradientMethod.smallInit(4, 2, -1, Rng.seeded(1)));
    assertTrue(e.getMessage().contains("SubGM.smallInit"), e.getMessage());
    Sensing a = Sensing.symmetricGaussian(5, 3, Rng.seeded(1));
    e = assertThrows(IllegalArgumentException.class, () -> SubGradientMethod.loss(a, new double[5], new double[7], 2));
    assertTrue(e.getMessage().contains("(3, 2)"), e.getMessage());
  }
}
