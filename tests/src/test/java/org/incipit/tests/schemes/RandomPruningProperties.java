package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import org.incipit.init.RandomPruning;
import org.incipit.init.RandomPruning.Method;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link RandomPruning} (Liu et al. 2022, arXiv:2202.02643): the solved layer densities keep the
 * parameter budget exactly, lie in (0, 1], keep the score ratios among non-dense layers, and force
 * dense only the top-scoring layers; the Bernoulli masks have the asked density. Shapes are random
 * lists of [out, in] and [out, in, k, k] weights (dims 1–48, kernels 1–5).
 */
class RandomPruningProperties {
  private static final double REL = 1e-12; // closed-form solver: only float64 rounding differs

  /** 1–6 weight shapes; every fourth integer picks rank 2 (&gt; 24) or a k×k kernel. */
  private static Gen<List<Shape>> shapes() {
    return lists().of(integers().between(1, 48)).ofSizeBetween(4, 24).map(v -> {
      List<Shape> out = new ArrayList<>();
      for (int i = 0; i + 3 < v.size(); i += 4) {
        int k = 1 + v.get(i + 2) % 5;
        out.add(v.get(i + 3) > 24 ? Shape.of(v.get(i), v.get(i + 1)) : Shape.of(v.get(i), v.get(i + 1), k, k));
      }
      return out;
    });
  }

  /** Overall densities, with the edges 1e−4 and 1 generated explicitly. */
  private static Gen<Double> densities() {
    return doubles().between(1e-4, 1.0).mix(integers().between(0, 1).map(b -> b == 0 ? 1e-4 : 1.0), 20);
  }

  private static Gen<Method> methods() {
    return integers().between(0, 2).map(i -> Method.values()[i]);
  }

  @Test
  void keepsTheBudgetExactlyAndStaysInZeroOne() {
    qt().withFixedSeed(20220205L).withExamples(300).forAll(shapes(), densities(), methods()).checkAssert((s, d, m) -> {
      double[] dl = RandomPruning.densities(s, d, m);
      double kept = 0;
      double total = 0;
      for (int l = 0; l < s.size(); l++) {
        assertTrue(dl[l] > 0 && dl[l] <= 1, m + " layer " + l + " density " + dl[l]);
        kept += dl[l] * s.get(l).numel();
        total += s.get(l).numel();
      }
      assertEquals(d * total, kept, REL * d * total * 10, m + " " + s + " D=" + d);
    });
  }

  @Test
  void nonDenseLayersKeepTheScoreRatiosAndOnlyTopScoresAreDense() {
    qt().withFixedSeed(7L).withExamples(300).forAll(shapes(), densities(), methods()).checkAssert((s, d, m) -> {
      double[] dl = RandomPruning.densities(s, d, m);
      for (int i = 0; i < s.size(); i++) {
        for (int j = 0; j < s.size(); j++) {
          double si = m.score(s.get(i));
          double sj = m.score(s.get(j));
          if (dl[i] < 1 && dl[j] < 1) {
            assertEquals(si / sj, dl[i] / dl[j], 1e-10 * si / sj, "ratio of layers " + i + ", " + j);
          }
          if (dl[i] == 1 && dl[j] < 1 && d < 1) {
            // a forced-dense layer has a score at least that of every sparse one (or ε·s_i is exactly 1)
            assertTrue(si >= sj || Math.abs(dl[j] / sj * si - 1) < 1e-9, "dense layer " + i + " scores below " + j);
          }
        }
      }
      if (m == Method.UNIFORM) {
        for (double x : dl) {
          assertEquals(d, x, 0.0);
        }
      }
    });
  }

  /**
   * The mean of a 100 000-entry mask is a binomial proportion: within z(1 − α/2)·√(d(1−d)/n) of d
   * at α = 1e−6 per density (SampleCheck.assertMean with the Bernoulli std).
   */
  @Test
  void maskMeansMatchTheirDensities() {
    for (double d : new double[] {0.01, 0.1, 0.5, 0.9}) {
      double[] m = RandomPruning.mask(Shape.of(100, 1000), d, Rng.seeded(11).fork(Double.toString(d))).toDoubles();
      for (double v : m) {
        assertTrue(v == 0 || v == 1, "mask entries are 0 or 1");
      }
      SampleCheck.assertMean(m, d, Math.sqrt(d * (1 - d)), 1e-6);
    }
    assertEquals(0.0, RandomPruning.mask(Shape.of(5, 5), 0, Rng.seeded(1)).sum().item());
    assertEquals(25.0, RandomPruning.mask(Shape.of(5, 5), 1, Rng.seeded(1)).sum().item());
    assertArrayEquals(RandomPruning.mask(Shape.of(7, 9), 0.3, Rng.seeded(5)).toDoubles(),
        RandomPruning.mask(Shape.of(7, 9), 0.3, Rng.seeded(5)).toDoubles(), "a seed fixes the mask");
  }

  @Test
  void goldenValuesOfTheSpec() {
    // spec table (reference reimplementation): shapes [16,3,3,3], [32,16,3,3], [64,32,3,3], [10,64]
    List<Shape> cnn = List.of(Shape.of(16, 3, 3, 3), Shape.of(32, 16, 3, 3), Shape.of(64, 32, 3, 3), Shape.of(10, 64));
    assertArrayEquals(new double[] {0.5663, 0.1147, 0.0542, 1.0}, RandomPruning.densities(cnn, 0.1, Method.ERK), 5e-5);
    assertArrayEquals(new double[] {0.6194, 0.1467, 0.0733, 0.1809}, RandomPruning.densities(cnn, 0.1, Method.ER), 5e-5);
    assertArrayEquals(new double[] {1, 0.8251, 0.3896, 1}, RandomPruning.densities(cnn, 0.5, Method.ERK), 5e-5);
  }

  @Test
  void badInputsAreRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RandomPruning.densities(List.of(Shape.of(4)), 0.5, Method.ERK));
    assertTrue(e.getMessage().contains("rank"), e.getMessage());
    for (double d : new double[] {0, -0.1, 1.5, Double.NaN}) {
      e = assertThrows(IllegalArgumentException.class, () -> RandomPruning.densities(List.of(Shape.of(4, 4)), d, Method.ER));
      assertTrue(e.getMessage().contains("random pruning"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> RandomPruning.densities(List.of(), 0.5, Method.ER));
  }
}
