package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import org.incipit.autograd.Functional;
import org.incipit.autograd.GradMode;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.autograd.ops.Gelu;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.tensor.cpu.Parallel;
import org.incipit.testkit.Gens;
import org.incipit.testkit.GradProperty;
import org.junit.jupiter.api.Test;

/**
 * The fused GELU primitive ({@link Gelu}) against the composite {@code Functional.geluReference}.
 * Values: the kernel evaluates the composite's own operations, so float32 and float64 give the
 * same bits. Gradients: gelu′ = Φ + xφ is evaluated directly, the composite sums two products, so
 * they differ by rounding only: 1e-12 absolute in float64, 1e-6 in float32 (gelu′ lies in
 * [−0.17, 1.13], where a few float ulps are below 5e-7). Second derivatives (create-graph) 1e-10.
 */
class FusedGeluProperties {
  /** Agreement within {@code tol}·(1 + |reference|), NaN matching NaN and ±∞ matching exactly. */
  static void close(double[] ref, double[] got, double tol, String what) {
    assertEquals(ref.length, got.length, what + ": length");
    for (int i = 0; i < ref.length; i++) {
      boolean same = Double.compare(ref[i], got[i]) == 0 || (Double.isNaN(ref[i]) && Double.isNaN(got[i]))
          || Math.abs(ref[i] - got[i]) <= tol * (1 + Math.abs(ref[i]));
      if (!same) {
        throw new AssertionError(what + "[" + i + "]: fused " + got[i] + ", reference " + ref[i] + " (tol " + tol + ")");
      }
    }
  }

  private static void agree(Tensor x, double gradTol) {
    Tensor a = x.withGrad();
    Tensor b = x.withGrad();
    Tensor fused = Functional.gelu(a);
    Tensor ref = Functional.geluReference(b);
    assertEquals("gelu", fused.op());
    Tensor g = Tensors.of(x.dtype(), Rng.seeded(5).normal(x.numel()), x.shape(), x.device());
    assertArrayEquals(ref.toDoubles(), fused.toDoubles(), 0.0, "values: same operations, same bits");
    close(ref.backward(g).of(b).toDoubles(), fused.backward(g).of(a).toDoubles(), gradTol, "gradient");
  }

  /** Sizes from 1 to 40 elements (vector tails) and ranks 0–3, values of σ 3 with edges mixed in. */
  @Test
  void valuesAndGradientsMatchTheComposite() {
    qt().withFixedSeed(31L).withExamples(200).forAll(Gens.dims(0, 3, 1, 7), Gens.longs())
        .checkAssert((dims, seed) -> {
          double[] v = Rng.seeded(seed).normal(Shape.of(dims).numel(), 0, 3);
          agree(Tensors.of(DType.F64, v, dims), 1e-12);
          agree(Tensors.of(DType.F32, v, dims), 1e-6);
        });
  }

  @Test
  void specialValuesFollowTheComposite() {
    double inf = Double.POSITIVE_INFINITY;
    double[] v = {0, -0.0, 1e-30, -1e-30, 5.65685, -5.65686, 12, -12, 40, -40, 1e30, -1e30, inf, -inf, Double.NaN};
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      Tensor x = Tensors.of(t, v, v.length);
      Tensor a = x.withGrad();
      Tensor b = x.withGrad();
      Tensor fused = Functional.gelu(a);
      Tensor ref = Functional.geluReference(b);
      assertArrayEquals(ref.toDoubles(), fused.toDoubles(), 0.0, t + " values");
      close(ref.backward(Tensors.onesLike(ref)).of(b).toDoubles(), fused.backward(Tensors.onesLike(fused)).of(a).toDoubles(),
          1e-6, t + " gradients");
    }
  }

  /** d²/dx² through the create-graph rule (gelu″ = φ·(2 − x²)) against the composite's, float64. */
  @Test
  void secondDerivativesMatchTheComposite() {
    qt().withFixedSeed(32L).withExamples(50).forAll(Gens.dims(1, 2, 1, 9), Gens.longs())
        .checkAssert((dims, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor x = Tensors.of(DType.F64, rng.fork("x").normal(Shape.of(dims).numel(), 0, 2), dims);
          Tensor v = Tensors.of(DType.F64, rng.fork("v").normal(x.numel()), dims);
          close(secondDerivative(x, v, false), secondDerivative(x, v, true), 1e-10, "second derivative");
        });
  }

  /** ∂/∂x ⟨∂⟨gelu(x), v⟩/∂x, v⟩. */
  private static double[] secondDerivative(Tensor x0, Tensor v, boolean fused) {
    Tensor x = x0.withGrad();
    Tensor y = fused ? Functional.gelu(x) : Functional.geluReference(x);
    Tensor dx = y.backward(v, GradMode.CREATE_GRAPH).of(x);
    return dx.mul(v).sum().backward().of(x).toDoubles();
  }

  @Test
  void gradCheckOfGeluAndItsDerivative() {
    GradProperty.forAll(33, 40, Gens.tensors(Gens.shapes(0, 3, 1, 5), Gens.Domain.ANY), Functional::gelu);
    GradProperty.forAll(34, 40, Gens.tensors(Gens.shapes(0, 3, 1, 5), Gens.Domain.ANY), Gelu::grad);
  }

  @Test
  void integerInputIsRefusedNamingTheOp() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Functional.gelu(Tensors.ofLongs(new long[] {1, 2}, 2)));
    assertTrue(e.getMessage().contains("gelu") && e.getMessage().contains("I64"),
        e.getMessage());
  }

  /** 3 × 10007 elements: several parallel chunks, blocks of 1024 and a masked tail. */
  @Test
  void sameBitsOnOneThreadAndMany() {
    Tensor x = Tensors.of(DType.F32, Rng.seeded(35).normal(3 * 10007, 0, 3), 3, 10007);
    double[][] parallel = run(x);
    double[][] inline = Parallel.sequentially(() -> run(x));
    assertArrayEquals(parallel[0], inline[0], 0.0, "values");
    assertArrayEquals(parallel[1], inline[1], 0.0, "gradients");
  }

  private static double[][] run(Tensor x0) {
    Tensor x = x0.withGrad();
    Tensor y = Functional.gelu(x);
    return new double[][] {y.toDoubles(), y.backward(y).of(x).toDoubles()};
  }
}
