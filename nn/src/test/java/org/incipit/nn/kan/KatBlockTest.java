package org.incipit.nn.kan;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Initializers;
import org.incipit.init.VarianceScaling;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The KAN block of KAT: structure, initialisation (intended and official), variance preservation, gradcheck. */
class KatBlockTest {
  @Test
  void structureAndParameterPaths() {
    KatBlock block = new KatBlock(16, 32, 8, KatBlock.Options.defaults(), Rng.seeded(1));
    assertEquals(java.util.List.of("act1.weight_numerator", "act1.weight_denominator", "fc1.weight", "fc1.bias",
        "act2.weight_numerator", "act2.weight_denominator", "fc2.weight", "fc2.bias"),
        new java.util.ArrayList<>(block.namedParameters().keySet()));
    assertEquals(RationalPreset.IDENTITY, block.act1().preset());
    assertEquals(RationalPreset.SWISH, block.act2().preset());
    assertEquals(Shape.of(8, 4), block.act2().denominator().shape(), "8 groups of 32/8 channels");
    Tensor x = Tensors.randn(Rng.seeded(2), 2, 3, 16);
    assertArrayEquals(x.toDoubles(), block.act1().forward(x).toDoubles(), 0.0, "the first rational is the identity");
    assertEquals(Shape.of(2, 3, 8), block.forward(x).shape());
  }

  @Test
  void varianceSchemeAndTheOfficialFlag() {
    for (Denominator form : Denominator.values()) {
      KatBlock.Options o = KatBlock.Options.defaults().withForm(form).withActivation(RationalPreset.GELU);
      KatBlock block = new KatBlock(64, 128, 64, o, Rng.seeded(3));
      double gain2 = RationalPreset.GELU.rational(form).gainSquared();
      assertEquals(Initializers.kaimingNormal(0, org.incipit.init.FanMode.IN, "linear"), block.fc1().weight().initializer());
      VarianceScaling fc2 = (VarianceScaling) block.fc2().weight().initializer();
      assertEquals(gain2, fc2.scale(), 1e-12, "fc2: std = gain/√fan_in");
      assertEquals(Math.sqrt(gain2 / 128), std(block.fc2().weight().value()), 0.05 * Math.sqrt(gain2 / 128)); // 8192 samples: ±1.6 % (1σ)
      assertEquals(0.0, block.fc2().bias().value().abs().sum().item(), 0.0);
      KatBlock official = new KatBlock(64, 128, 64, o.withInit(KatBlock.Init.OFFICIAL), Rng.seeded(3));
      assertEquals(Initializers.truncatedNormal(0, 0.02, -2, 2), official.fc1().weight().initializer());
      assertEquals(Initializers.truncatedNormal(0, 0.02, -2, 2), official.fc2().weight().initializer());
      assertEquals(0.02, std(official.fc2().weight().value()), 0.001);
    }
  }

  private static double std(Tensor t) {
    double s = 0;
    double[] v = t.toDoubles();
    for (double e : v) {
      s += e * e;
    }
    return Math.sqrt(s / v.length);
  }

  /**
   * One block with the variance-preserving init keeps the variance of a standard normal input:
   * fc1 gives E[h²] = 1, the rational E[F(h)²] = 1/gain², fc2 multiplies by gain². Width 128,
   * hidden 512, 512 inputs (the seeds' ratios are printed); the ratio of one draw scatters by ≈ 2 % (finite width), so the mean of
   * 6 seeds is held to 3 %.
   */
  @Test
  void oneBlockPreservesTheVarianceOfAStandardNormalInput() {
    for (RationalPreset act : new RationalPreset[] {RationalPreset.SWISH, RationalPreset.GELU}) {
      for (Denominator form : Denominator.values()) {
        KatBlock.Options o = KatBlock.Options.defaults().withActivation(act).withForm(form);
        double[] r = new double[6];
        for (int s = 0; s < r.length; s++) {
          r[s] = stackVarianceRatio(o, 1, 128, 512, s);
        }
        double mean = java.util.Arrays.stream(r).average().orElseThrow();
        System.out.printf("Var(out)/Var(in), one KAT block (%s, %s): mean %.4f of %s%n", act, form, mean,
            java.util.Arrays.toString(java.util.Arrays.stream(r).map(v -> Math.round(v * 1e4) / 1e4).toArray()));
        assertEquals(1.0, mean, 0.03, act + " " + form);
      }
    }
  }

  /**
   * Spec §4 claims Var(out) ≈ Var(in) within 10 % through a 12-block stack at init (blocks composed
   * directly). That does not hold at testable widths, for a reason {@link
   * #theLengthMapOfSwishIsUnstableAtItsFixedPoint} makes exact: each block multiplies a point's
   * squared length by a random factor (finite width: ≈ 15 % scatter at width 128), and the
   * infinite-width length map q ↦ gain²·E[F(√q z)²] has slope ≈ 1.17 at its fixed point q = 1,
   * so deviations grow ≈ 1.17¹² ≈ 6.6-fold instead of averaging out, with an upward bias from the
   * map's convexity; all points share the weights, so the pooled variance moves with them.
   * Measured here (width 64, hidden 256, 256 inputs, 3 seeds) and printed: ratios of order 1 —
   * between 0.7 and 9 over 30 seeds in an outside re-run with the exact swish, median ≈ 2 — not
   * within 10 %. What is asserted: every seed stays within a factor 10 after 12 blocks, while the
   * official std-0.02 init shrinks the variance by ≈ (64·0.02²)·(256·0.02²)·E[F²] ≈ 10⁻³ per block,
   * down to the floor set by the fitted a₀ ≈ 3·10⁻⁷ (variance ≈ 10⁻¹⁴).
   */
  @Test
  void twelveBlocksStayWithinAFactorOfTenWhileTheOfficialInitCollapses() {
    KatBlock.Options o = KatBlock.Options.defaults();
    double[] r = new double[3];
    for (int s = 0; s < r.length; s++) {
      r[s] = stackVarianceRatio(o, 12, 64, 256, s);
    }
    System.out.println("Var(out)/Var(in) through 12 KAT blocks (swish, form A), 3 seeds: " + java.util.Arrays.toString(r));
    for (int s = 0; s < r.length; s++) {
      assertTrue(r[s] > 0.1 && r[s] < 10, "seed " + s + ": Var(out)/Var(in) = " + r[s]);
    }
    double official = stackVarianceRatio(o.withInit(KatBlock.Init.OFFICIAL), 12, 64, 256, 0);
    System.out.printf("Var(out)/Var(in) through 12 KAT blocks, official std 0.02 init: %.3e%n", official);
    assertTrue(official < 1e-10, "the official init collapses the signal: " + official);
  }

  /**
   * The infinite-width length map of a KAT block, f(q) = gain²·E_z[F(√q z)²] with F the fitted
   * swish rational: f(1) = 1 by the choice of the gain, and f′(1) ≈ 1.17 &gt; 1 (central difference
   * of the quadrature), so q = 1 is an unstable fixed point. (For ReLU with He init f(q) = q
   * exactly: neutral. Swish is not positively homogeneous: F(√q z)² grows faster than q.)
   */
  @Test
  void theLengthMapOfSwishIsUnstableAtItsFixedPoint() {
    Rational f = RationalPreset.SWISH.rational(Denominator.ABS_OF_SUM);
    double gain2 = f.gainSquared();
    java.util.function.DoubleUnaryOperator map = q -> gain2 * Rational.gaussianSecondMoment(z -> f.value(Math.sqrt(q) * z));
    assertEquals(1.0, map.applyAsDouble(1.0), 1e-12);
    double slope = (map.applyAsDouble(1.01) - map.applyAsDouble(0.99)) / 0.02;
    System.out.printf("slope of the KAT length map at q = 1 (swish): %.4f%n", slope);
    assertEquals(1.17, slope, 0.02);
  }

  /** Var(out)/Var(in) of {@code blocks} fresh KAT blocks (width, hidden) on 4·width standard normal inputs. */
  private static double stackVarianceRatio(KatBlock.Options o, int blocks, int width, int hidden, long seed) {
    Rng rng = Rng.seeded(20260521 + seed);
    Tensor x = Tensors.randn(rng.fork("x"), 4 * width, width); // (N, D), N(0, 1)
    Tensor h = x;
    for (int b = 0; b < blocks; b++) {
      h = new KatBlock(width, hidden, width, o, rng.fork("block").fork(b)).forward(h).detach(); // (N, D)
    }
    return variance(h) / variance(x);
  }

  private static double variance(Tensor t) {
    double[] v = t.toDoubles();
    double mean = 0;
    for (double e : v) {
      mean += e / v.length;
    }
    double s = 0;
    for (double e : v) {
      s += (e - mean) * (e - mean);
    }
    return s / v.length;
  }

  @Test
  void gradcheckInFloat64AtInitAndWithTrainedLookingDenominators() {
    for (Denominator form : Denominator.values()) {
      KatBlock.Options o = KatBlock.Options.defaults().withGroups(2).withForm(form);
      KatBlock atInit = new KatBlock(4, 6, 3, o, Rng.seeded(4));
      KanGradcheck.offTheCoefficientKink(atInit.act2());
      KanGradcheck.assertLayer(atInit, hiddenAwayFromKinks(atInit, Rng.seeded(5)));
      // every denominator moved off 0 (b_j = ±(0.1 … 0.4)) so both rationals' b get a non-zero gradient
      KatBlock moved = new KatBlock(4, 6, 3, o, Rng.seeded(6));
      moved.reinitialize(Rng.seeded(7), (path, p) -> path.endsWith("weight_denominator")
          ? (shape, fans, r) -> signedAwayFromZero(shape, r) : null);
      KanGradcheck.assertLayer(moved, hiddenAwayFromKinks(moved, Rng.seeded(8)));
    }
  }

  private static Tensor signedAwayFromZero(Shape shape, Rng rng) {
    double[] u = rng.uniform(shape.numel());
    double[] v = new double[u.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % 2 == 0 ? 1 : -1) * (0.1 + 0.3 * u[i]);
    }
    return Tensors.of(DType.F32, v, shape.dims());
  }

  /**
   * An F64 input (2, 4) such that every entry of x and of fc1's output h is at least 0.05 from
   * the |·| kinks of the two rationals (|x|, |h| ≥ 0.05, and |Σ b_j v^j| ≥ 0.02 in form A where b
   * is non-zero), redrawn until it is; the gradcheck step is 10⁻⁶.
   */
  private static Tensor hiddenAwayFromKinks(KatBlock block, Rng rng) {
    block.to(DType.F64, org.incipit.tensor.Device.cpu());
    for (long attempt = 0; ; attempt++) {
      Tensor x = Tensors.randn(rng.fork(attempt), 2, 4).cast(DType.F64);
      Tensor h = block.fc1().forward(block.act1().forward(x));
      if (clear(block.act1(), x) && clear(block.act2(), h)) {
        return x;
      }
    }
  }

  private static boolean clear(GroupRational act, Tensor x) {
    double[] v = x.toDoubles();
    int channels = x.size(-1);
    int per = channels / act.groups();
    for (int i = 0; i < v.length; i++) {
      double[] b = act.rational((i % channels) / per).denominator();
      double s = 0;
      for (int j = 3; j >= 0; j--) {
        s = (s + b[j]) * v[i];
      }
      boolean zero = b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0;
      if (Math.abs(v[i]) < 0.05 || (act.form() == Denominator.ABS_OF_SUM && !zero && Math.abs(s) < 0.02)) {
        return false;
      }
    }
    return true;
  }
}
