package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.BalancedActorInit;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link BalancedActorInit}: the two-stage merge θ_BAI = β·(α·θ_IF + (1−α)·θ_RD) + (1−β)·θ_pre.
 * Checkpoints are random two-tensor state dicts (a matrix and a size-1 bias, to cover size-1
 * dimensions). Tolerance 1e-6 relative + 1e-6 absolute: the merge computes in double and rounds once
 * to F32 (half an ulp, 6e-8 relative), and the reference here is the same formula in double.
 */
class BalancedActorInitTest {
  private static final double TOL = 1e-6;

  private static Map<String, Tensor> checkpoint(long seed, int rows, int cols) {
    Rng rng = Rng.seeded(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("fc.weight", Tensors.of(DType.F32, rng.fork("w").normal(rows * cols, 0, 3), rows, cols));
    m.put("fc.bias", Tensors.of(DType.F32, rng.fork("b").normal(1), 1));
    return m;
  }

  /** Ratios with the edges 0 and 1 drawn explicitly. */
  private static Gen<Double> ratios() {
    return doubles().between(0, 1).mix(integers().between(0, 1).map(i -> (double) i), 30);
  }

  @Test
  void elementwiseLinearInEveryTensor() {
    qt().withFixedSeed(15).withExamples(60).forAll(integers().between(1, 5), ratios(), ratios())
        .checkAssert((n, alpha, beta) -> {
          Map<String, Tensor> inst = checkpoint(n, n, 3);
          Map<String, Tensor> reason = checkpoint(100 + n, n, 3);
          Map<String, Tensor> pre = checkpoint(200 + n, n, 3);
          Map<String, Tensor> bai = BalancedActorInit.merge(inst, reason, pre, alpha, beta);
          assertEquals(inst.keySet(), bai.keySet());
          for (String k : inst.keySet()) {
            double[] i = inst.get(k).toDoubles();
            double[] r = reason.get(k).toDoubles();
            double[] p = pre.get(k).toDoubles();
            double[] got = bai.get(k).toDoubles();
            assertEquals(inst.get(k).shape(), bai.get(k).shape());
            for (int e = 0; e < got.length; e++) {
              double want = beta * (alpha * i[e] + (1 - alpha) * r[e]) + (1 - beta) * p[e];
              assertEquals(want, got[e], TOL * (1 + Math.abs(want)), k + "[" + e + "]");
            }
          }
        });
  }

  @Test
  void mergingIdenticalCheckpointsIsTheIdentity() {
    qt().withFixedSeed(16).withExamples(40).forAll(integers().between(1, 4), ratios(), ratios())
        .checkAssert((n, alpha, beta) -> {
          Map<String, Tensor> theta = checkpoint(n, 2, n);
          Map<String, Tensor> bai = BalancedActorInit.merge(theta, theta, theta, alpha, beta);
          theta.forEach((k, t) -> assertArrayEquals(t.toDoubles(), bai.get(k).toDoubles(), 0.0, k));
        });
  }

  @Test
  void alphaBetaOneIsTheInstructionModelAndBetaZeroThePretrainedBase() {
    Map<String, Tensor> inst = checkpoint(1, 4, 3);
    Map<String, Tensor> reason = checkpoint(2, 4, 3);
    Map<String, Tensor> pre = checkpoint(3, 4, 3);
    Map<String, Tensor> one = BalancedActorInit.merge(inst, reason, pre, 1, 1);
    Map<String, Tensor> base = BalancedActorInit.merge(inst, reason, pre, 0.3, 0);
    Map<String, Tensor> rd = BalancedActorInit.merge(inst, reason, pre, 0, 1);
    inst.forEach((k, t) -> assertArrayEquals(t.toDoubles(), one.get(k).toDoubles(), 0.0, k));
    pre.forEach((k, t) -> assertArrayEquals(t.toDoubles(), base.get(k).toDoubles(), 0.0, k));
    reason.forEach((k, t) -> assertArrayEquals(t.toDoubles(), rd.get(k).toDoubles(), 0.0, k));
  }

  @Test
  void twoStagesEqualTwoWeightedMerges() {
    Map<String, Tensor> inst = checkpoint(4, 3, 3);
    Map<String, Tensor> reason = checkpoint(5, 3, 3);
    Map<String, Tensor> pre = checkpoint(6, 3, 3);
    Map<String, Tensor> mid = BalancedActorInit.weighted(inst, reason, 0.25);
    Map<String, Tensor> staged = BalancedActorInit.weighted(mid, pre, 0.75);
    Map<String, Tensor> bai = BalancedActorInit.merge(inst, reason, pre, 0.25, 0.75);
    bai.forEach((k, t) -> assertArrayEquals(staged.get(k).toDoubles(), t.toDoubles(), 1e-6, k));
  }

  @Test
  void rejectsMismatchesRatiosAndNonFiniteValuesByName() {
    Map<String, Tensor> a = checkpoint(7, 2, 3);
    Map<String, Tensor> wide = checkpoint(8, 2, 4);
    String shape = assertThrows(IllegalArgumentException.class, () -> BalancedActorInit.weighted(a, wide, 0.5))
        .getMessage();
    assertTrue(shape.contains("balanced_actor_init") && shape.contains("fc.weight") && shape.contains("[2, 4]"), shape);
    Map<String, Tensor> missing = new LinkedHashMap<>(a);
    missing.remove("fc.bias");
    assertThrows(IllegalArgumentException.class, () -> BalancedActorInit.weighted(a, missing, 0.5));
    for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
      String m = assertThrows(IllegalArgumentException.class, () -> BalancedActorInit.merge(a, a, a, 0.5, bad))
          .getMessage();
      assertTrue(m.contains("β"), m);
    }
    Map<String, Tensor> nan = new LinkedHashMap<>(a);
    nan.put("fc.bias", Tensors.of(DType.F32, new double[] {Double.POSITIVE_INFINITY}, 1));
    String m = assertThrows(IllegalArgumentException.class, () -> BalancedActorInit.weighted(a, nan, 0.5)).getMessage();
    assertTrue(m.contains("fc.bias") && m.contains("non-finite"), m);
  }
}
