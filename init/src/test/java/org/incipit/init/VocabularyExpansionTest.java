package org.incipit.init;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * The tied-head guarantees of {@link VocabularyExpansion}, in float64 so the only error is
 * rounding: mean init gives l_new = mean(l) (tolerance 1e−9 relative to the largest |l|) and
 * KL(p_old ‖ p_new) ≤ log(1 + k/n) (slack 1e−12, rounding only); convex-hull rows have l_new ≤ max l
 * (slack 1e−9·max|l|). Sizes include n = 1, d = 1 and k = 1; row scales from 1e−3 to 30, so logits
 * range from near-uniform to very peaked.
 */
class VocabularyExpansionTest {
  private static final double[] SCALES = {1e-3, 1, 30};

  private static Tensor table(int n, int d, double scale, Rng rng) {
    return Tensors.of(DType.F64, rng.normal(n * d, 0.3, scale), n, d);
  }

  private static double[] logits(Tensor e, double[] h) {
    return e.matmul(Tensors.of(DType.F64, h, h.length, 1)).toDoubles(); // (n, d)·(d, 1)
  }

  private static double logSumExp(double[] l) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : l) {
      m = Math.max(m, x);
    }
    double s = 0;
    for (double x : l) {
      s += Math.exp(x - m);
    }
    return m + Math.log(s);
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  @Test
  void meanInitKeepsKlBelowLogOnePlusKOverN() {
    qt().withFixedSeed(15_1).withExamples(200)
        .forAll(integers().between(1, 40), integers().between(1, 12), integers().between(1, 30),
            integers().between(0, 1_000_000))
        .checkAssert((n, d, k, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor e = table(n, d, SCALES[seed % 3], rng.fork("e"));
          double[] h = rng.fork("h").normal(d, 0, 3);
          double[] old = logits(e, h);
          double[] added = logits(VocabularyExpansion.mean(e, k), h);
          double mean = 0;
          for (double l : old) {
            mean += l / n;
          }
          for (double l : added) {
            assertEquals(mean, l, 1e-9 * Math.max(1, maxAbs(old)), "l_new = mean l");
          }
          double[] all = new double[n + k];
          System.arraycopy(old, 0, all, 0, n);
          System.arraycopy(added, 0, all, n, k);
          double kl = logSumExp(all) - logSumExp(old); // KL(p_old ‖ p_new) = log(Z'/Z)
          assertTrue(kl >= -1e-12 && kl <= VocabularyExpansion.meanKlBound(n, k) + 1e-12,
              () -> "KL " + kl + " vs bound " + VocabularyExpansion.meanKlBound(n, k) + " for n=" + n + ", k=" + k);
        });
  }

  @Test
  void convexHullRowsNeverOutscoreTheBestOldToken() {
    qt().withFixedSeed(15_2).withExamples(200)
        .forAll(integers().between(1, 40), integers().between(1, 12), integers().between(1, 20),
            integers().between(0, 1_000_000))
        .checkAssert((n, d, k, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor e = table(n, d, SCALES[seed % 3], rng.fork("e"));
          Tensor w = VocabularyExpansion.dirichletWeights(k, n, rng.fork("w"));
          double[] wv = w.toDoubles();
          for (int r = 0; r < k; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
              assertTrue(wv[r * n + i] >= 0, "weight ≥ 0");
              s += wv[r * n + i];
            }
            assertEquals(1, s, 1e-12, "weights sum to 1");
          }
          double[] h = rng.fork("h").normal(d, 0, 3);
          double[] old = logits(e, h);
          double max = Double.NEGATIVE_INFINITY;
          for (double l : old) {
            max = Math.max(max, l);
          }
          for (double l : logits(VocabularyExpansion.convexHull(e, w), h)) {
            assertTrue(l <= max + 1e-9 * Math.max(1, maxAbs(old)), "l_new ≤ max l");
          }
        });
  }

  @Test
  void expandCopiesTheOldRowsBitForBit() {
    Rng rng = Rng.seeded(3);
    Tensor e = Tensors.of(DType.F32, rng.normal(7 * 5), 7, 5);
    Tensor grown = VocabularyExpansion.expand(e, VocabularyExpansion.univariate(e, 4, rng.fork("u")));
    assertEquals(Shape.of(11, 5), grown.shape());
    assertArrayEquals(e.toFloats(), grown.slice(0, 0, 7).contiguous().toFloats());
  }

  @Test
  void samplesAreAFunctionOfTheSeed() {
    Tensor e = table(9, 4, 1, Rng.seeded(1));
    assertArrayEquals(VocabularyExpansion.multivariate(e, 3, 0.5, Rng.seeded(8)).toDoubles(),
        VocabularyExpansion.multivariate(e, 3, 0.5, Rng.seeded(8)).toDoubles());
    assertArrayEquals(VocabularyExpansion.convexHull(e, 3, Rng.seeded(8)).toDoubles(),
        VocabularyExpansion.convexHull(e, 3, Rng.seeded(8)).toDoubles());
  }

  @Test
  void multivariateWithZeroScaleIsTheMean() {
    Tensor e = table(6, 3, 1, Rng.seeded(2));
    assertArrayEquals(VocabularyExpansion.mean(e, 2).toDoubles(),
        VocabularyExpansion.multivariate(e, 2, 0, Rng.seeded(4)).toDoubles(), 1e-15);
  }

  @Test
  void badInputNamesTheMethodAndTheShapes() {
    Tensor e = table(4, 3, 1, Rng.seeded(0));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VocabularyExpansion.mean(e, 0))
        .getMessage().contains("k ≥ 1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VocabularyExpansion.mean(Tensors.zeros(4), 1))
        .getMessage().contains("(n, d)"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> VocabularyExpansion.convexHull(e, Tensors.of(DType.F64, new double[] {0.5, 0.5, 0.5, -0.5}, 1, 4)))
        .getMessage().contains("negative"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> VocabularyExpansion.convexHull(e, Tensors.of(DType.F64, new double[] {0.5, 0.5, 0.5, 0.5}, 1, 4)))
        .getMessage().contains("sum to"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> VocabularyExpansion.expand(e, Tensors.zeros(2, 5))).getMessage().contains("(k, 3)"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> VocabularyExpansion.multivariate(e, 1, -1, Rng.seeded(0))).getMessage().contains("≥ 0"));
  }
}
