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
 * {@link Wechsel}: Procrustes returns an orthogonal Q (QᵀQ = I within 1e−4, float32 SVD) that
 * recovers a noiseless rotation (1e−3 per entry for m ≥ 2d well-conditioned pairs); neighbour
 * weights are ≥ 0 and sum to 1 (1e−12); T → 0 picks the nearest neighbour and T → ∞ the plain mean
 * of the k rows (1e−6); special rows are copied bit for bit and the fallback is a function of the
 * seed. Dimensions include d = 1 and k = 1.
 */
class WechselTest {
  private static Tensor random(int r, int c, Rng rng) {
    return Tensors.of(DType.F32, rng.normal(r * c), r, c);
  }

  @Test
  void procrustesRecoversARotation() {
    qt().withFixedSeed(15_31).withExamples(60)
        .forAll(integers().between(1, 12), integers().between(0, 1_000_000))
        .checkAssert((d, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor r = new Orthogonal(1.0).create(Shape.of(d, d), Fans.of(Shape.of(d, d)), rng.fork("r"));
          Tensor x = random(3 * d + 2, d, rng.fork("x"));
          Tensor q = Wechsel.procrustes(x, x.matmul(r));
          double[] qtq = q.transpose(0, 1).matmul(q).toDoubles();
          for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
              assertEquals(i == j ? 1 : 0, qtq[i * d + j], 1e-4, "QᵀQ = I");
            }
          }
          assertArrayEquals(r.toDoubles(), q.toDoubles(), 1e-3, "Q = R");
        });
  }

  @Test
  void neighbourWeightsAreConvexWithTheirLimits() {
    qt().withFixedSeed(15_32).withExamples(100)
        .forAll(integers().between(1, 30), integers().between(1, 10), integers().between(0, 1_000_000))
        .checkAssert((n, kk, seed) -> {
          int k = Math.min(kk, n);
          double[] sim = Rng.seeded(seed).uniform(n, -1, 1);
          Wechsel.Neighbours nb = Wechsel.neighbours(sim, k, Wechsel.TEMPERATURE);
          double s = 0;
          for (int j = 0; j < k; j++) {
            assertTrue(nb.weight()[j] >= 0);
            s += nb.weight()[j];
            if (j > 0) {
              assertTrue(sim[nb.index()[j]] <= sim[nb.index()[j - 1]], "by decreasing similarity");
            }
          }
          assertEquals(1, s, 1e-12);
          double best = java.util.Arrays.stream(sim).max().orElseThrow();
          assertEquals(best, sim[nb.index()[0]]);
          Wechsel.Neighbours cold = Wechsel.neighbours(sim, k, 1e-9);
          assertEquals(1, cold.weight()[0], 1e-6, "T → 0: nearest");
          Wechsel.Neighbours hot = Wechsel.neighbours(sim, k, 1e12);
          for (double w : hot.weight()) {
            assertEquals(1.0 / k, w, 1e-6, "T → ∞: plain mean");
          }
        });
  }

  @Test
  void targetRowsAreCopiedFallenBackOrMixed() {
    Rng rng = Rng.seeded(7);
    Tensor srcStatic = random(6, 3, rng.fork("s"));
    double[] t = random(3, 3, rng.fork("t")).toDoubles();
    java.util.Arrays.fill(t, 3, 6, 0); // target 1 has no static vector
    Tensor tgtStatic = Tensors.of(DType.F32, t, 3, 3);
    Tensor emb = random(6, 4, rng.fork("e"));
    int[] copy = {-1, -1, 4};
    Tensor out = Wechsel.targetEmbeddings(srcStatic, tgtStatic, emb, copy, 3, Wechsel.TEMPERATURE, Rng.seeded(9));
    assertArrayEquals(emb.select(0, 4).contiguous().toFloats(), out.select(0, 2).contiguous().toFloats(), "copied");
    assertArrayEquals(out.toFloats(),
        Wechsel.targetEmbeddings(srcStatic, tgtStatic, emb, copy, 3, Wechsel.TEMPERATURE, Rng.seeded(9)).toFloats());
    double[][] m = VocabularyExpansion.moments(emb);
    double[] z = Rng.seeded(9).normal(3 * 4);
    for (int j = 0; j < 4; j++) {
      assertEquals(m[0][j] + Math.sqrt(m[1][j]) * z[4 + j], out.select(0, 1).contiguous().toDoubles()[j], 1e-5,
          "fallback N(μ, σ²) from the seed");
    }
    assertThrows(IllegalArgumentException.class,
        () -> Wechsel.targetEmbeddings(srcStatic, tgtStatic, emb, new int[2], 3, 0.1, rng));
    assertThrows(IllegalArgumentException.class, () -> Wechsel.neighbours(new double[3], 4, 0.1));
    assertThrows(IllegalArgumentException.class, () -> Wechsel.procrustes(random(4, 2, rng), random(4, 3, rng)));
  }
}
