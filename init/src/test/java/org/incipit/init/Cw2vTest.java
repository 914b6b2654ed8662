package org.incipit.init;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link Cw2v}: the weights are convex (≥ 0, rows sum to 1 within 1e−5 in F32), so every new
 * logit is ≤ the best base logit (slack 1e−4 relative, F32 rounding of a d ≤ 12 dot product); the
 * SGNS loss equals a hand computation (1e−6); gradients reach A₁, A₂ and not E_base.
 */
class Cw2vTest {
  @Test
  void rowsAreConvexCombinationsOfTheBase() {
    qt().withFixedSeed(15_3).withExamples(100)
        .forAll(integers().between(1, 8), integers().between(1, 16), integers().between(1, 30),
            integers().between(0, 1_000_000))
        .checkAssert((k, f, n, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor[] a = Cw2v.initialFactors(k, f, n, rng.fork("a"));
          double[] w = Cw2v.weights(a[0].mul(seed % 2 == 0 ? 1 : 10), a[1]).toDoubles();
          for (int r = 0; r < k; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
              assertTrue(w[r * n + i] >= 0);
              s += w[r * n + i];
            }
            assertEquals(1, s, 1e-5);
          }
          int d = 1 + seed % 12;
          Tensor base = Tensors.of(DType.F32, rng.fork("e").normal(n * d, 0, 2), n, d);
          Tensor h = Tensors.of(DType.F32, rng.fork("h").normal(d, 0, 2), d, 1);
          double[] old = base.matmul(h).toDoubles();
          double max = java.util.Arrays.stream(old).max().orElseThrow();
          double scale = java.util.Arrays.stream(old).map(Math::abs).max().orElseThrow();
          for (double l : Cw2v.rows(a[0], a[1], base).matmul(h).toDoubles()) {
            assertTrue(l <= max + 1e-4 * Math.max(1, scale), () -> l + " > " + max);
          }
        });
  }

  @Test
  void sgnsLossMatchesAHandComputation() {
    // u = (1, 0), v⁺ = (2, 1), v⁻ = {(−1, 0), (0, 3)}: u·v⁺ = 2, u·v⁻ = {−1, 0}
    // L = −log σ(2) − log σ(1) − log σ(0) = log(1 + e⁻²) + log(1 + e⁻¹) + log 2
    Tensor u = Tensors.of(DType.F64, new double[] {1, 0}, 1, 2);
    Tensor v = Tensors.of(DType.F64, new double[] {2, 1}, 1, 2);
    Tensor neg = Tensors.of(DType.F64, new double[] {-1, 0, 0, 3}, 1, 2, 2);
    double expected = Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.log(2);
    assertEquals(expected, Cw2v.sgnsLoss(u, v, neg).item(), 1e-6);
  }

  @Test
  void onlyTheFactorsLearnTheBaseIsFrozen() {
    Rng rng = Rng.seeded(5);
    Tensor[] a = Cw2v.initialFactors(2, 3, 4, rng);
    Tensor a1 = a[0].withGrad();
    Tensor a2 = a[1].withGrad();
    Tensor base = Tensors.of(DType.F32, rng.fork("e").normal(4 * 3), 4, 3);
    Tensor rows = Cw2v.rows(a1, a2, base);                          // (2, 3)
    Tensor table = Tensors.cat(0, base, rows);                      // (6, 3)
    Tensor idx = Tensors.ofLongs(new long[] {4, 5}, 2);
    Tensor loss = Cw2v.sgnsLoss(table.indexSelect(0, idx), table.indexSelect(0, Tensors.ofLongs(new long[] {0, 1}, 2)),
        table.indexSelect(0, Tensors.ofLongs(new long[] {2, 3, 5, 0}, 4)).reshape(2, 2, 3));
    Gradients g = loss.backward();
    assertTrue(g.of(a1).abs().sum().item() > 0, "A₁ learns");
    assertTrue(g.of(a2).abs().sum().item() > 0, "A₂ learns");
    assertFalse(base.requiresGrad(), "E_base is not a leaf with gradients");
  }

  @Test
  void negativesFollowTheUnigramToThreeQuarters() {
    double[] p = Cw2v.negativeDistribution(new long[] {16, 0, 1});
    assertEquals(8.0 / 9, p[0], 1e-12); // 16^0.75 = 8
    assertEquals(0, p[1]);
    assertEquals(1.0 / 9, p[2], 1e-12);
    long[] s = Cw2v.sample(p, 2000, Rng.seeded(1));
    for (long i : s) {
      assertNotEquals(1, i, "a zero-count token is never drawn");
    }
    assertThrows(IllegalArgumentException.class, () -> Cw2v.negativeDistribution(new long[] {0, 0}));
  }

  @Test
  void mismatchedFactorsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Cw2v.weights(Tensors.zeros(2, 3), Tensors.zeros(4, 5)));
    assertTrue(e.getMessage().contains("[2, 3]") || e.getMessage().contains("(2, 3)") || e.getMessage().contains("2, 3"));
  }
}
