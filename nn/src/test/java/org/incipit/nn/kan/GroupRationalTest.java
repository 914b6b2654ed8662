package org.incipit.nn.kan;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * GR-KAN: agreement with the double-precision reference, the group layout, Q ≥ 1, the form-B
 * gradient formula, and gradcheck in F64.
 *
 * <p>Kinks: |·| is not differentiable where its argument is 0 — at x = 0 (form B), at the roots of
 * Σ b_j x^j (form A) and at b_j = 0 (form B). Gradcheck inputs are kept away from them by
 * construction: {@link #awayFromKinks} draws x with |x| ≥ 0.2 and redraws any x whose group has
 * |Σ b_j x^j| &lt; 0.05 (form A; b = 0 makes Q ≡ 1, no kink in x), and random coefficients have
 * |b_j| ≥ 0.1; the central difference step is 10⁻⁶, so no difference straddles a kink.
 */
class GroupRationalTest {
  /** Random coefficients: a ~ N(0, 0.5²); b_j = ±(0.1 + U[0, 0.5)) per group. */
  private static Tensor[] coefficients(int groups, Rng rng) {
    double[] a = rng.fork("a").normal(6, 0, 0.5);
    double[] u = rng.fork("b").uniform(groups * 4);
    double[] s = rng.fork("s").uniform(groups * 4);
    double[] b = new double[groups * 4];
    for (int i = 0; i < b.length; i++) {
      b[i] = (s[i] < 0.5 ? -1 : 1) * (0.1 + 0.5 * u[i]);
    }
    return new Tensor[] {Tensors.of(DType.F64, a, 1, 6), Tensors.of(DType.F64, b, groups, 4)};
  }

  /** x (rows, channels) in F64 with |x| ≥ 0.2 and, in form A, |Σ b_j x^j| ≥ 0.05 for its group. */
  private static Tensor awayFromKinks(int rows, int channels, Tensor b, Denominator form, Rng rng) {
    int groups = b.size(0);
    double[] coef = b.toDoubles();
    double[] x = new double[rows * channels];
    Rng draws = rng.fork("x");
    for (int i = 0; i < x.length; i++) {
      int g = (i % channels) / (channels / groups);
      for (long attempt = 0; ; attempt++) {
        double v = draws.fork(i).fork(attempt).normal(1)[0] * 1.5;
        double s = 0;
        for (int j = 3; j >= 0; j--) {
          s = (s + coef[g * 4 + j]) * v;
        }
        boolean zero = coef[g * 4] == 0 && coef[g * 4 + 1] == 0 && coef[g * 4 + 2] == 0 && coef[g * 4 + 3] == 0;
        if (Math.abs(v) >= 0.2 && (form == Denominator.SUM_OF_ABS || zero || Math.abs(s) >= 0.05)) {
          x[i] = v;
          break;
        }
      }
    }
    return Tensors.of(DType.F64, x, rows, channels);
  }

  @Test
  void forwardMatchesTheDoubleReferenceGroupByGroup() {
    for (Denominator form : Denominator.values()) {
      GroupRational layer = new GroupRational(12, 3, RationalPreset.GELU, form, Rng.seeded(1));
      layer.to(DType.F64, Device.cpu());
      Tensor[] c = coefficients(3, Rng.seeded(2));
      layer.numerator().assign(c[0]);
      layer.denominator().assign(c[1]);
      Tensor x = Tensors.randn(Rng.seeded(3), 2, 5, 12).cast(DType.F64).mul(2);
      double[] y = layer.forward(x).toDoubles();
      double[] xv = x.toDoubles();
      for (int i = 0; i < xv.length; i++) {
        int group = (i % 12) / 4; // contiguous groups of 12/3 = 4 channels
        assertEquals(layer.rational(group).value(xv[i]), y[i], 1e-12 * (1 + Math.abs(y[i])), form + " element " + i);
      }
    }
  }

  @Test
  void numeratorIsSharedAndDenominatorIsPerGroup() {
    GroupRational layer = new GroupRational(16, 4, RationalPreset.SWISH, Denominator.ABS_OF_SUM, Rng.seeded(1));
    assertEquals(Shape.of(1, 6), layer.numerator().shape());
    assertEquals(Shape.of(4, 4), layer.denominator().shape());
    assertEquals(Map.of("weight_numerator", Shape.of(1, 6), "weight_denominator", Shape.of(4, 4)),
        Map.of("weight_numerator", layer.namedParameters().get("weight_numerator").shape(),
            "weight_denominator", layer.namedParameters().get("weight_denominator").shape()));
    Tensor x = Tensors.randn(Rng.seeded(2), 3, 16);
    double[] before = layer.forward(x).toDoubles();
    double[] b = layer.denominator().value().toDoubles();
    b[1 * 4 + 1] += 0.3; // group 1 only: channels 4..7
    layer.denominator().assign(Tensors.of(DType.F32, b, 4, 4));
    double[] after = layer.forward(x).toDoubles();
    for (int i = 0; i < before.length; i++) {
      boolean inGroup1 = (i % 16) / 4 == 1;
      assertEquals(inGroup1, before[i] != after[i], "element " + i + " (channel " + i % 16 + ")");
    }
  }

  /** Coefficients b₁…b₄ ∈ [−50, 50] and x ∈ [−100, 100], 0 and the extremes mixed in for each. */
  @Test
  void denominatorIsAtLeastOneEverywhere() {
    Gen<Double> coefficient = doubles().between(-50, 50).mix(Generate.pick(List.of(-50.0, 0.0, 50.0)), 20);
    Gen<double[]> bs = coefficient.zip(coefficient, coefficient, coefficient, (b1, b2, b3, b4) -> new double[] {b1, b2,
        b3, b4}).describedAs(Arrays::toString);
    qt().withFixedSeed(20260501L).withExamples(300)
        .forAll(bs, doubles().between(-100, 100).mix(Generate.pick(List.of(-100.0, 0.0, 100.0)), 20))
        .checkAssert((b, x) -> {
          Tensor bt = Tensors.of(DType.F64, b, 1, 4);
          Tensor xt = Tensors.of(DType.F64, new double[] {x, -x, x / 7, 0}, 1, 4);
          for (Denominator form : Denominator.values()) {
            assertTrue(form.value(b, x) >= 1, form + ": Q(" + x + ") = " + form.value(b, x));
            for (double q : form.value(xt, bt).toDoubles()) {
              assertTrue(q >= 1, form + ": tensor Q = " + q);
            }
          }
        });
  }

  /**
   * Form B: ∂F/∂b_j = ∂F/∂Q · ∂Q/∂b_j = (−P/Q²)·sign(b_j)·|x|^j, summed over the channels of the
   * coefficient's group; the engine's gradient must equal this closed form.
   */
  @Test
  void formBGradientOfTheDenominatorIsTheClosedForm() {
    qt().withFixedSeed(20260502L).withExamples(60).forAll(integers().between(1, 4), longs().all())
        .checkAssert(GroupRationalTest::formBGradientIsTheClosedForm);
  }

  static void formBGradientIsTheClosedForm(int groups, long seed) {
    Rng rng = Rng.seeded(seed);
    Tensor[] c = coefficients(groups, rng);
    Tensor a = c[0];
    Tensor b = c[1].withGrad();
    int channels = 2 * groups;
    Tensor x = awayFromKinks(3, channels, c[1], Denominator.SUM_OF_ABS, rng);
    Gradients g = GroupRational.apply(x, a, b, Denominator.SUM_OF_ABS).sum().backward();
    double[] got = g.of(b).toDoubles();
    double[] want = new double[groups * 4];
    double[] bv = c[1].toDoubles();
    double[] xv = x.toDoubles();
    for (int i = 0; i < xv.length; i++) {
      int k = (i % channels) / 2;
      double[] bk = Arrays.copyOfRange(bv, 4 * k, 4 * k + 4);
      Rational r = new Rational(a.toDoubles(), bk, Denominator.SUM_OF_ABS);
      double p = r.p(xv[i]);
      double q = r.q(xv[i]);
      for (int j = 1; j <= 4; j++) {
        want[4 * k + j - 1] += Math.signum(bk[j - 1]) * Math.pow(Math.abs(xv[i]), j) * (-p / (q * q));
      }
    }
    assertArrayEquals(want, got, 1e-10);
  }

  @Test
  void gradcheckInFloat64WithRespectToInputNumeratorAndDenominator() {
    for (Denominator form : Denominator.values()) {
      for (int groups : new int[] {1, 3}) {
        Rng rng = Rng.seeded(10 + groups);
        Tensor[] c = coefficients(groups, rng);
        Tensor x = awayFromKinks(2, 2 * groups, c[1], form, rng);
        GradCheck.assertMatches(in -> GroupRational.apply(in[0], in[1], in[2], form),
            new Tensor[] {x, c[0], c[1]}, GradCheck.Options.float64());
      }
    }
  }

  @Test
  void gradcheckOfTheLayerThroughItsParametersAtEveryPreset() {
    for (RationalPreset p : RationalPreset.values()) {
      for (Denominator form : Denominator.values()) {
        GroupRational layer = new GroupRational(4, 2, p, form, Rng.seeded(5));
        KanGradcheck.offTheCoefficientKink(layer);
        Tensor x = awayFromKinks(2, 4, Tensors.of(DType.F64, layer.denominator().value().toDoubles(), 2, 4), form,
            Rng.seeded(6));
        KanGradcheck.assertLayer(layer, x);
      }
    }
  }

  @Test
  void identityDenominatorReceivesNoGradient() {
    // b = 0: sign(Σ b_j x^j) = 0 (form A) and sign(b_j) = 0 (form B), so ∂L/∂b = 0 exactly
    for (Denominator form : Denominator.values()) {
      GroupRational layer = new GroupRational(8, 2, RationalPreset.IDENTITY, form, Rng.seeded(1));
      Gradients g = layer.forward(Tensors.randn(Rng.seeded(2), 5, 8)).square().sum().backward();
      assertArrayEquals(new double[8], g.of(layer.denominator().value()).toDoubles(), 0.0, form.toString());
      assertNotEquals(0.0, g.of(layer.numerator().value()).abs().sum().item(), form.toString());
    }
  }

  @Test
  void shapeErrorsNameTheShapes() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new GroupRational(10, 4, RationalPreset.SWISH, Denominator.ABS_OF_SUM, Rng.seeded(1)));
    assertTrue(e.getMessage().contains("4 groups do not divide 10 channels"), e.getMessage());
    GroupRational layer = new GroupRational(8, RationalPreset.SWISH, Rng.seeded(1));
    e = assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensors.zeros(2, 6)));
    assertTrue(e.getMessage().contains("(2, 6)") || e.getMessage().contains("[2, 6]"), e.getMessage());
  }
}
