package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.PerceptualInit;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/**
 * {@link PerceptualInit}: the 2AFC hinge on cosine distance and the CLIP InfoNCE. References are
 * computed on the host in double from the same F32 inputs; tolerance 1e-5 absolute, enough for F32
 * dot products of ≤ 8 terms of size ≤ 3 (rounding ≈ 1e-6).
 */
class PerceptualInitTest {
  private static final double TOL = 1e-5;

  private static Tensor features(Rng rng, int n, int d) {
    return Tensors.of(DType.F32, rng.normal(n * d), n, d);
  }

  private static double[] hostDistance(Tensor a, Tensor b) {
    double[] x = a.toDoubles();
    double[] y = b.toDoubles();
    int n = a.size(0);
    int d = a.size(1);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double xy = 0;
      double xx = 0;
      double yy = 0;
      for (int j = 0; j < d; j++) {
        xy += x[i * d + j] * y[i * d + j];
        xx += x[i * d + j] * x[i * d + j];
        yy += y[i * d + j] * y[i * d + j];
      }
      out[i] = 1 - xy / (Math.sqrt(xx + 1e-8) * Math.sqrt(yy + 1e-8)); // the class's ε = 1e-8
    }
    return out;
  }

  private static Tensor labels(Rng rng, int n) {
    long[] bits = rng.integers(n, 2);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = bits[i];
    }
    return Tensors.of(DType.F32, y, n);
  }

  @Test
  void hingeMatchesItsFormulaAndIsZeroPastTheMargin() {
    qt().withFixedSeed(9).withExamples(50).forAll(longs().all(), integers().between(1, 8), integers().between(1, 6))
        .checkAssert((seed, n, d) -> {
          Rng rng = Rng.seeded(seed);
          Tensor ref = features(rng.fork("r"), n, d);
          Tensor d0 = features(rng.fork("0"), n, d);
          Tensor d1 = features(rng.fork("1"), n, d);
          Tensor y = labels(rng.fork("y"), n);
          double[] dist0 = hostDistance(ref, d0);
          double[] dist1 = hostDistance(ref, d1);
          double[] lab = y.toDoubles();
          double want = 0;
          for (int i = 0; i < n; i++) {
            want += Math.max(0, PerceptualInit.MARGIN - (2 * lab[i] - 1) * (dist0[i] - dist1[i])) / n;
          }
          assertEquals(want, PerceptualInit.tripletHinge(ref, d0, d1, y, PerceptualInit.MARGIN).item(), TOL);
          // preferred distortion = the reference, the other = its negation: (2y−1)z = 2 ≥ m, so the loss is 0
          Tensor same = ref;
          Tensor opposite = ref.neg();
          Tensor ones = Tensors.of(DType.F32, new double[n], n).add(1);
          assertEquals(0.0, PerceptualInit.tripletHinge(ref, opposite, same, ones, PerceptualInit.MARGIN).item(), 0.0);
          assertEquals(0.0, PerceptualInit.tripletHinge(ref, same, opposite, ones.sub(1), PerceptualInit.MARGIN).item(),
              0.0);
        });
  }

  @Test
  void gradientStepPullsThePreferredDistortionCloser() {
    qt().withFixedSeed(10).withExamples(40).forAll(longs().all()).checkAssert(seed -> {
      Rng rng = Rng.seeded(seed);
      Tensor ref = features(rng.fork("r"), 1, 4);
      Tensor d0 = ref.add(features(rng.fork("0"), 1, 4).mul(0.1)); // close to ref: z < m, the hinge is active
      Tensor d1 = features(rng.fork("1"), 1, 4).withGrad();
      Tensor y = Tensors.of(DType.F32, new double[] {1}, 1); // d₁ is the preferred one
      Tensor loss = PerceptualInit.tripletHinge(ref, d0, d1, y, PerceptualInit.MARGIN);
      if (loss.item() == 0) {
        return; // nothing to pull (already past the margin)
      }
      Tensor g = loss.backward().of(d1);
      Tensor moved = d1.detach().sub(g.mul(1e-2));
      assertTrue(hostDistance(ref, moved)[0] < hostDistance(ref, d1.detach())[0],
          "a gradient step must reduce D(ref, d1) for y = 1");
    });
  }

  @Test
  void cosineDistanceLiesInZeroTwo() {
    Rng rng = Rng.seeded(11);
    Tensor a = features(rng.fork("a"), 500, 3);
    Tensor b = features(rng.fork("b"), 500, 3);
    double[] d = PerceptualInit.cosineDistance(a, b).toDoubles();
    // F32 rounding of a normalized dot product is ≤ 1e-6, so the exact range [0, 2] widens by that
    SampleCheck.assertWithin(d, -1e-6, 2 + 1e-6);
    SampleCheck.assertWithin(PerceptualInit.cosineDistance(a, a).toDoubles(), -1e-6, 1e-6);
    SampleCheck.assertWithin(PerceptualInit.cosineDistance(a, a.neg()).toDoubles(), 2 - 1e-6, 2 + 1e-6);
  }

  @Test
  void twoAfcAccuracyIsTheFractionOfRightSigns() {
    qt().withFixedSeed(12).withExamples(40).forAll(longs().all(), integers().between(1, 20)).checkAssert((seed, n) -> {
      Rng rng = Rng.seeded(seed);
      Tensor ref = features(rng.fork("r"), n, 3);
      Tensor d0 = features(rng.fork("0"), n, 3);
      Tensor d1 = features(rng.fork("1"), n, 3);
      Tensor y = labels(rng.fork("y"), n);
      double[] z = PerceptualInit.preference(ref, d0, d1).toDoubles();
      double[] lab = y.toDoubles();
      int right = 0;
      for (int i = 0; i < n; i++) {
        right += Math.signum(z[i]) == 2 * lab[i] - 1 ? 1 : 0;
      }
      assertEquals((double) right / n, PerceptualInit.twoAfcAccuracy(ref, d0, d1, y), 0.0);
    });
  }

  @Test
  void infoNceIsLogNAtUniformLogitsAndTheScaleIsClamped() {
    qt().withFixedSeed(13).withExamples(20).forAll(integers().between(1, 12)).checkAssert(n -> {
      Tensor same = Tensors.of(DType.F32, new double[n * 4], n, 4).add(1); // every row alike: uniform logits
      Tensor t = Tensors.scalar(StrictMath.log(1 / 0.07));
      assertEquals(StrictMath.log(n), PerceptualInit.infoNce(same, same, t).item(), 1e-5);
    });
    Rng rng = Rng.seeded(14);
    Tensor img = features(rng.fork("i"), 6, 4);
    Tensor txt = features(rng.fork("t"), 6, 4);
    double clamped = PerceptualInit.infoNce(img, txt, Tensors.scalar(10)).item();
    double atMax = PerceptualInit.infoNce(img, txt, Tensors.scalar(StrictMath.log(PerceptualInit.MAX_SCALE))).item();
    assertEquals(atMax, clamped, 1e-5, "exp(10) > 100 must be clamped to 100");
  }

  @Test
  void rejectsMismatchedShapesByName() {
    Tensor a = Tensors.zeros(3, 4);
    Tensor b = Tensors.zeros(3, 5);
    String m = assertThrows(IllegalArgumentException.class, () -> PerceptualInit.cosineDistance(a, b)).getMessage();
    assertTrue(m.contains("perceptual_init") && m.contains("[3, 5]"), m);
    assertThrows(IllegalArgumentException.class, () -> PerceptualInit.tripletHinge(a, a, a, Tensors.zeros(2), 0.05));
  }
}
