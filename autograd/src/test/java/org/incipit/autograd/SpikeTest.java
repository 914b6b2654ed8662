package org.incipit.autograd;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.util.Arrays;
import org.incipit.autograd.ops.Spike;
import org.incipit.tensor.DType;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The spike primitive: Heaviside forward, and a backward rule that is a surrogate, so it is held to
 * its formula γ·max(0, 1 − |z|) exactly (the same float64 operations in the same order on the
 * host) rather than to finite differences, which see the true derivative 0.
 */
class SpikeTest {
  private static final double[] Z = {-2.5, -1.0, -0.999, -0.5, -1e-9, 0.0, 1e-9, 0.25, 0.5, 0.999, 1.0, 1.5, 3.0};

  /** dL/dz for L = Σ g·spike(z), in float64. */
  private static double[] surrogateGradient(double[] z, double[] g, double gamma) {
    Tensor x = Tensors.of(DType.F64, z, z.length).withGrad();
    Tensor o = Functional.spike(x, gamma);
    return o.backward(Tensors.of(DType.F64, g, g.length)).of(x).toDoubles();
  }

  private static double formula(double z, double g, double gamma) {
    return g * (Math.max(0.0, 1.0 - Math.abs(z)) * gamma);
  }

  @Test
  void forwardIsTheHeavisideStepInTheInputsDtype() {
    for (DType type : new DType[] {DType.F32, DType.F64}) {
      Tensor o = Functional.spike(Tensors.of(type, Z, Z.length), Spike.GAMMA);
      assertEquals(type, o.dtype());
      double[] v = o.toDoubles();
      for (int i = 0; i < Z.length; i++) {
        assertEquals(Z[i] > 0 ? 1.0 : 0.0, v[i], 0.0, "H(" + Z[i] + ") in " + type);
      }
    }
    assertEquals(0.0, Functional.spike(Tensors.scalar(Double.NaN), 0.3).item(), "H(NaN) = 0, as the kernel's a > 0");
  }

  @Test
  void surrogateIsZeroOutsideTheUnitBandAndPeaksAtGammaOnTheThreshold() {
    double[] ones = new double[Z.length];
    java.util.Arrays.fill(ones, 1.0);
    double[] d = surrogateGradient(Z, ones, 0.3);
    for (int i = 0; i < Z.length; i++) {
      if (Math.abs(Z[i]) >= 1.0) {
        assertEquals(0.0, d[i], 0.0, "no gradient at |z| = " + Math.abs(Z[i]) + " ≥ 1");
      }
    }
    assertEquals(0.3, d[5], 0.0, "peak γ at z = 0");
    assertEquals(0.15, d[3], 1e-17, "half the peak at z = −0.5");
    assertEquals(0.15, d[8], 1e-17, "half the peak at z = +0.5");
    assertEquals(0.225, d[7], 1e-16, "0.3·(1 − 0.25) at z = 0.25");
    for (double v : d) {
      assertTrue(v >= 0 && v <= 0.3, "within [0, γ]: " + v);
    }
  }

  /**
   * Bit-exact against the formula for random z, upstream gradients and γ (seed pinned; the edges
   * z = 0, ±1 and γ = 0 are the hand cases above).
   */
  @Test
  void surrogateEqualsItsFormula() {
    qt().withFixedSeed(20260501L).withExamples(200)
        .forAll(pair(-3, 3), pair(-4, 4), doubles().between(0, 2))
        .checkAssert((z, g, gamma) -> {
          double[] d = surrogateGradient(z, g, gamma);
          for (int i = 0; i < 2; i++) {
            assertEquals(formula(z[i], g[i], gamma), d[i], 0.0, "z = " + z[i] + ", g = " + g[i] + ", γ = " + gamma);
          }
        });
  }

  /** Two doubles, each uniform in [lo, hi]. */
  private static Gen<double[]> pair(double lo, double hi) {
    return doubles().between(lo, hi).zip(doubles().between(lo, hi), (a, b) -> new double[] {a, b})
        .describedAs(Arrays::toString);
  }

  @Test
  void gammaScalesTheRuleAndMustBeANonNegativeNumber() {
    double[] d = surrogateGradient(new double[] {0.0, 0.5}, new double[] {2.0, 2.0}, 1.0);
    assertArrayEquals(new double[] {2.0, 1.0}, d, 0.0);
    assertArrayEquals(new double[] {0.0, 0.0}, surrogateGradient(new double[] {0.0, 0.5}, new double[] {1, 1}, 0.0), 0.0);
    assertThrows(IllegalArgumentException.class, () -> Functional.spike(Tensors.scalar(0.0), -0.1));
    assertThrows(IllegalArgumentException.class, () -> Functional.spike(Tensors.scalar(0.0), Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Functional.spike(Tensors.ofLongs(new long[] {1}, 1), 0.3));
  }

  /** Why the rule is tested against its formula: central differences see H′ = 0 and disagree. */
  @Test
  void finiteDifferencesSeeZeroSoGradCheckRejectsTheSurrogate() {
    Tensor z = Tensors.of(DType.F64, new double[] {-0.4, 0.2, 0.7}, 3);
    AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.assertMatches(
        in -> Functional.spike(in[0], Spike.GAMMA), new Tensor[] {z}, GradCheck.Options.float64()));
    assertTrue(e.getMessage().contains("numeric 0.0"), e.getMessage());
  }
}
