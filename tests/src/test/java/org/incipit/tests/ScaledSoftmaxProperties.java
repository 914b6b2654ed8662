package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.incipit.autograd.Functional;
import org.incipit.autograd.GradMode;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.cpu.Parallel;
import org.incipit.testkit.Gens;
import org.junit.jupiter.api.Test;

/**
 * The fused scaled (causal) softmax of attention against the composite it replaces,
 * {@code Functional.attentionReference}: the forward equals it bit for bit on the CPU (the fused
 * kernel writes each row as the composite sees it and normalises it with the same row kernel);
 * gradients agree to 1e-12 in float64 and 1e-5 in float32 (the composite's two extra `where`
 * passes only pass gradients through or write exact zeros; the remaining difference is the order
 * of the scale multiplication, a few float ulps on gradients of order 1).
 */
class ScaledSoftmaxProperties {
  private record Case(Tensor q, Tensor k, Tensor v, Tensor g) {
    static Case random(DType type, int b, int t, int s, int d, long seed) {
      Rng rng = Rng.seeded(seed);
      return new Case(Tensors.of(type, rng.fork("q").normal(b * t * d, 0, 2), b, t, d),
          Tensors.of(type, rng.fork("k").normal(b * s * d, 0, 2), b, s, d),
          Tensors.of(type, rng.fork("v").normal(b * s * d), b, s, d),
          Tensors.of(type, rng.fork("g").normal(b * t * d), b, t, d));
    }

    Case withGrads() {
      return new Case(q.withGrad(), k.withGrad(), v.withGrad(), g);
    }

    Gradients grads(boolean fused, boolean causal, GradMode mode) {
      Tensor y = fused ? Functional.attention(q, k, v, causal) : Functional.attentionReference(q, k, v, causal);
      return y.backward(g, mode);
    }
  }

  @Test
  void attentionEqualsItsCompositeForwardAndBackward() {
    assertTrue(Tensors.ones(1).backend().hasFused("scaled_softmax"), "the CPU backend runs the fused kernel");
    qt().withFixedSeed(83L).withExamples(60)
        .forAll(integers().between(1, 3), integers().between(1, 9), integers().between(1, 9), Gens.longs())
        .checkAssert((b, t, d, seed) -> {
          for (int variant = 0; variant < 4; variant++) {
            DType type = variant % 2 == 0 ? DType.F32 : DType.F64;
            boolean causal = variant >= 2;
            Case c = Case.random(type, b, t, causal ? t : t + 2, d, seed).withGrads();
            Tensor fused = Functional.attention(c.q, c.k, c.v, causal);
            Tensor ref = Functional.attentionReference(c.q, c.k, c.v, causal);
            assertEquals(0, max(fused.toDoubles(), ref.toDoubles()), "forward, " + type);
            double tol = type == DType.F32 ? 1e-5 : 1e-12;
            Gradients gf = c.grads(true, causal, GradMode.FIRST_ORDER);
            Gradients gr = c.grads(false, causal, GradMode.FIRST_ORDER);
            for (Tensor in : new Tensor[] {c.q, c.k, c.v}) {
              assertArrayEquals(gr.of(in).toDoubles(), gf.of(in).toDoubles(), tol, type + " gradient");
            }
          }
        });
  }

  /** Second derivatives through the fused op (its rule is Tensor code) match the composite's. */
  @Test
  void secondDerivativesMatchTheComposite() {
    Case c = Case.random(DType.F64, 2, 5, 5, 3, 7).withGrads();
    Tensor[] out = new Tensor[2];
    for (int i = 0; i < 2; i++) {
      Tensor dq = c.grads(i == 0, true, GradMode.CREATE_GRAPH).of(c.q);
      out[i] = dq.square().sum().backward().of(c.k);
    }
    assertArrayEquals(out[1].toDoubles(), out[0].toDoubles(), 1e-12);
  }

  /** The same bits whatever the thread count (rows are independent). */
  @Test
  void threadCountChangesNothing() {
    Case c = Case.random(DType.F32, 16, 64, 64, 32, 3).withGrads();
    double[] parallel = Functional.attention(c.q, c.k, c.v, true).toDoubles();
    double[] single = Parallel.sequentially(() -> Functional.attention(c.q, c.k, c.v, true)).toDoubles();
    assertArrayEquals(parallel, single, 0.0);
  }

  private static double max(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Double.compare(a[i], b[i]) == 0 ? 0 : Math.abs(a[i] - b[i]) + Double.MIN_VALUE);
    }
    return m;
  }
}
