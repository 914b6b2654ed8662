package org.incipit.init;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link ToolTokens} in float64 (tolerance 1e−12 for exact identities, 1e−9 for gradients, both
 * rounding only): prior rows have norm 1/√d and point along the pooled name states; the unsquared
 * regulariser is λ‖W − P‖_F with gradient λ(W − P)/‖W − P‖_F, and exactly 0 with a zero gradient at
 * W = P; the vocabulary logits do not depend on the tool rows and the frozen head gets no gradient.
 * Sizes include one tool, one-token names and d = 1.
 */
class ToolTokensTest {
  private static List<Tensor> names(int tools, int d, Rng rng) {
    List<Tensor> out = new ArrayList<>();
    long[] lengths = rng.fork("len").integers(tools, 4);
    for (int j = 0; j < tools; j++) {
      int t = 1 + (int) lengths[j];
      out.add(Tensors.of(DType.F64, rng.fork(j).normal(t * d, 0.5, 1), t, d));
    }
    return out;
  }

  @Test
  void priorRowsHaveNormOneOverRootDAlongThePooledStates() {
    qt().withFixedSeed(15_21).withExamples(100)
        .forAll(integers().between(1, 12), integers().between(1, 16), integers().between(0, 1_000_000))
        .checkAssert((tools, d, seed) -> {
          List<Tensor> h = names(tools, d, Rng.seeded(seed));
          double[] p = ToolTokens.prior(h).toDoubles();
          for (int j = 0; j < tools; j++) {
            double[] pooled = h.get(j).mean(0).toDoubles();
            double norm = 0;
            double pooledNorm = 0;
            double dot = 0;
            for (int i = 0; i < d; i++) {
              norm += p[j * d + i] * p[j * d + i];
              pooledNorm += pooled[i] * pooled[i];
              dot += p[j * d + i] * pooled[i];
            }
            assertEquals(1 / Math.sqrt(d), Math.sqrt(norm), 1e-12, "row norm 1/√d");
            assertEquals(1, dot / Math.sqrt(norm * pooledNorm), 1e-12, "cosine with the pooled states");
          }
        });
  }

  @Test
  void regulariserIsTheUnsquaredFrobeniusNormWithItsGradient() {
    qt().withFixedSeed(15_22).withExamples(100)
        .forAll(integers().between(1, 6), integers().between(1, 8), integers().between(0, 1_000_000))
        .checkAssert((tools, d, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor p = Tensors.of(DType.F64, rng.fork("p").normal(tools * d), tools, d);
          double[] w0 = rng.fork("w").normal(tools * d);
          Tensor w = Tensors.of(DType.F64, w0, tools, d).withGrad();
          Tensor r = ToolTokens.regulariser(w, p, ToolTokens.LAMBDA);
          double[] diff = w.sub(p).toDoubles();
          double norm = 0;
          for (double x : diff) {
            norm += x * x;
          }
          norm = Math.sqrt(norm);
          assertEquals(ToolTokens.LAMBDA * norm, r.item(), 1e-12);
          double[] g = r.backward().of(w).toDoubles();
          for (int i = 0; i < g.length; i++) {
            assertEquals(ToolTokens.LAMBDA * diff[i] / norm, g[i], 1e-9);
          }
        });
  }

  @Test
  void regulariserIsZeroWithZeroSubgradientAtThePrior() {
    Tensor p = ToolTokens.prior(names(3, 5, Rng.seeded(1)));
    Tensor w = p.detach().withGrad();
    Tensor r = ToolTokens.regulariser(w, p, ToolTokens.LAMBDA);
    assertEquals(0.0, r.item());
    for (double g : r.backward().of(w).toDoubles()) {
      assertEquals(0.0, g, "subgradient 0 at W = P, not NaN");
    }
  }

  @Test
  void vocabularyLogitsIgnoreTheToolRowsAndTheHeadStaysFrozen() {
    Rng rng = Rng.seeded(2);
    Tensor h = Tensors.of(DType.F64, rng.fork("h").normal(2 * 3 * 4), 2, 3, 4);   // (B, T, d)
    Tensor vocab = Tensors.of(DType.F64, rng.fork("v").normal(7 * 4), 7, 4);       // frozen
    Tensor toolsA = Tensors.of(DType.F64, rng.fork("a").normal(2 * 4), 2, 4).withGrad();
    Tensor toolsB = Tensors.of(DType.F64, rng.fork("b").normal(2 * 4, 0, 50), 2, 4);
    Tensor la = ToolTokens.logits(h, vocab, toolsA);
    assertEquals(9, la.size(2));
    assertArrayEquals(la.slice(2, 0, 7).contiguous().toDoubles(),
        ToolTokens.logits(h, vocab, toolsB).slice(2, 0, 7).contiguous().toDoubles());
    Gradients g = la.sum().backward();
    assertTrue(g.of(toolsA).abs().sum().item() > 0);
    assertFalse(vocab.requiresGrad(), "the vocabulary head is not a trainable leaf");
    assertThrows(IllegalArgumentException.class, () -> ToolTokens.logits(h, vocab, Tensors.zeros(2, 5)));
    assertThrows(IllegalArgumentException.class, () -> ToolTokens.regulariser(toolsA, Tensors.zeros(3, 4), 1));
    assertThrows(IllegalArgumentException.class, () -> ToolTokens.prior(List.of(Tensors.zeros(2, 4))));
  }
}
