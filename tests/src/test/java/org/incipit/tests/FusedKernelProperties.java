package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;

import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Gens;
import org.junit.jupiter.api.Test;

/**
 * Fused kernels against the composites they replace (the composite is the reference): values and
 * gradients, in float64 (agreement to 1e-12 absolute) and float32 (1e-5 absolute: softmax values lie
 * in [0, 1], and log-softmax values of inputs of σ 3 within a few tens, where a few float ulps are
 * well below 1e-5).
 */
class FusedKernelProperties {
  private static void agree(Tensor x, boolean log, double tol) {
    Tensor a = x.withGrad();
    Tensor b = x.withGrad();
    Tensor fused = log ? Functional.logSoftmax(a, -1) : Functional.softmax(a, -1);
    Tensor ref = log ? Functional.logSoftmaxReference(b, -1) : Functional.softmaxReference(b, -1);
    assertTrue(fused.op().contains("softmax"), "the fused primitive ran: " + fused.op());
    Tensor g = Tensors.of(x.dtype(), Rng.seeded(9).normal(x.numel()), x.shape(), x.device());
    assertArrayEquals(ref.toDoubles(), fused.toDoubles(), tol, "values");
    assertArrayEquals(ref.backward(g).of(b).toDoubles(), fused.backward(g).of(a).toDoubles(), tol, "gradients");
  }

  /** Shapes of rank 1–4 with dimensions 1–6 (rows of length 1 and the largest shape mixed in). */
  @Test
  void softmaxAndLogSoftmaxMatchTheirComposites() {
    qt().withFixedSeed(71L).withExamples(200).forAll(Gens.dims(1, 4, 1, 6), booleans().all(), Gens.longs())
        .checkAssert((dims, log, seed) -> {
          double[] v = Rng.seeded(seed).normal(Shape.of(dims).numel(), 0, 3);
          agree(Tensors.of(DType.F64, v, dims), log, 1e-12);
          agree(Tensors.of(DType.F32, v, dims), log, 1e-5);
        });
  }

  @Test
  void extremeAndMaskedRows() {
    double inf = Double.NEGATIVE_INFINITY;
    double[] v = {1000, 1001, 999, -1000, -1002, -999.5, 0, inf, 2, inf, inf, inf};
    for (boolean log : new boolean[] {false, true}) {
      Tensor x = Tensors.of(DType.F32, v, 4, 3);
      Tensor fused = log ? Functional.logSoftmax(x, -1) : Functional.softmax(x, -1);
      Tensor ref = log ? Functional.logSoftmaxReference(x, -1) : Functional.softmaxReference(x, -1);
      double[] f = fused.toDoubles();
      double[] r = ref.toDoubles();
      for (int i = 0; i < f.length; i++) {
        assertTrue(Double.compare(f[i], r[i]) == 0 || Math.abs(f[i] - r[i]) <= 1e-5 * Math.max(1, Math.abs(r[i])),
            (log ? "log-softmax" : "softmax") + "[" + i + "] = " + f[i] + ", reference " + r[i]);
      }
    }
  }
}
