package org.incipit.tests;

import static org.incipit.tests.FusedGeluProperties.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.incipit.tensor.Shape;
import org.incipit.tensor.cpu.Parallel;
import org.incipit.testkit.Gens;
import org.incipit.testkit.GradProperty;
import org.junit.jupiter.api.Test;

/**
 * The fused LayerNorm over the last axis ({@code LayerNormRows}) against the composite
 * {@code Functional.layerNormReference}: values and the gradients of x, γ and β agree within
 * {@code tol}·(1 + |reference|), 1e-10 in float64 and 1e-5 in float32. The two sum in different
 * orders (the fused mean and variance in double, the composite's centred squares in the dtype) and
 * the gradients come from different formulas, so they differ by rounding: float64 by about 1e-15
 * relative times ρ·|x − μ|, float32 by a few ulps (6e-8 each) of values that are O(1) after
 * normalisation, or O(ρ) for the gradients of rows with a small variance.
 */
class FusedLayerNormProperties {
  private record Case(Tensor x, Tensor w, Tensor b) {
    static Case draw(DType t, int[] dims, int params, long seed) {
      Rng rng = Rng.seeded(seed);
      int n = dims[dims.length - 1];
      double[] v = rng.fork("x").normal(Shape.of(dims).numel(), 0.5, 2);
      Tensor w = (params & 1) == 0 ? null : Tensors.of(t, rng.fork("w").normal(n, 1, 0.5), n).withGrad();
      Tensor b = (params & 2) == 0 ? null : Tensors.of(t, rng.fork("b").normal(n), n).withGrad();
      return new Case(Tensors.of(t, v, dims), w, b);
    }
  }

  /** {y, dx, dγ, dβ} (absent parameters give empty arrays) for upstream gradient {@code g}. */
  private static double[][] run(Case c, boolean fused, Tensor g) {
    Tensor x = c.x().withGrad();
    int[] last = {x.size(-1)};
    Tensor y = fused ? Functional.layerNorm(x, last, c.w(), c.b(), 1e-5)
        : Functional.layerNormReference(x, last, c.w(), c.b(), 1e-5);
    assertEquals(fused, y.op().equals("layer_norm"), "fused primitive ran: " + y.op());
    Gradients gr = y.backward(g);
    return new double[][] {y.toDoubles(), gr.of(x).toDoubles(), c.w() == null ? new double[0] : gr.of(c.w()).toDoubles(),
        c.b() == null ? new double[0] : gr.of(c.b()).toDoubles()};
  }

  private static void agree(Case c, double tol) {
    Tensor g = Tensors.of(c.x().dtype(), Rng.seeded(3).normal(c.x().numel()), c.x().shape(), c.x().device());
    double[][] ref = run(c, false, g);
    double[][] got = run(c, true, g);
    String[] what = {"y", "dx", "dweight", "dbias"};
    for (int i = 0; i < what.length; i++) {
      close(ref[i], got[i], tol, c.x().dtype() + " " + c.x().shape() + " " + what[i]);
    }
  }

  /** Ranks 1–4, dimensions 1–7 (rows of one element included), with and without γ and β. */
  @Test
  void valuesAndAllGradientsMatchTheComposite() {
    qt().withFixedSeed(41L).withExamples(200).forAll(Gens.dims(1, 4, 1, 7), integers().between(0, 3), Gens.longs())
        .checkAssert((dims, params, seed) -> {
          agree(Case.draw(DType.F64, dims, params, seed), 1e-10);
          agree(Case.draw(DType.F32, dims, params, seed), 1e-5);
        });
  }

  /** Longer rows, as in the models (widths 16–300, a few rows). */
  @Test
  void wideRowsMatchTheComposite() {
    qt().withFixedSeed(42L).withExamples(30).forAll(integers().between(1, 9), integers().between(16, 300), Gens.longs())
        .checkAssert((rows, cols, seed) -> {
          agree(Case.draw(DType.F64, new int[] {rows, cols}, 3, seed), 1e-10);
          agree(Case.draw(DType.F32, new int[] {rows, cols}, 3, seed), 1e-5);
        });
  }

  @Test
  void gradCheckThroughTheFusedKernel() {
    qt().withFixedSeed(43L).withExamples(30).forAll(Gens.dims(1, 3, 1, 5), Gens.longs())
        .checkAssert((dims, seed) -> {
          Case c = Case.draw(DType.F64, dims, 3, seed);
          int[] last = {dims[dims.length - 1]};
          GradProperty.assertGradients(in -> Functional.layerNorm(in[0], last, in[1], in[2], 1e-5), c.x(), c.w(), c.b());
        });
  }

  /** ∂/∂(x, γ, β) of ⟨∂⟨y, u⟩/∂x, v⟩: the create-graph rule against the composite, float64. */
  @Test
  void secondDerivativesMatchTheComposite() {
    qt().withFixedSeed(44L).withExamples(40).forAll(Gens.dims(1, 3, 2, 6), Gens.longs())
        .checkAssert((dims, seed) -> {
          Case c = Case.draw(DType.F64, dims, 3, seed);
          double[][] ref = second(c, false);
          double[][] got = second(c, true);
          for (int i = 0; i < ref.length; i++) {
            close(ref[i], got[i], 1e-9, "second derivative, input " + i);
          }
        });
  }

  private static double[][] second(Case c, boolean fused) {
    Tensor x = c.x().withGrad();
    int[] last = {x.size(-1)};
    Tensor y = fused ? Functional.layerNorm(x, last, c.w(), c.b(), 1e-5)
        : Functional.layerNormReference(x, last, c.w(), c.b(), 1e-5);
    Rng rng = Rng.seeded(7);
    Tensor u = Tensors.of(DType.F64, rng.fork("u").normal(x.numel()), x.shape(), x.device());
    Tensor v = Tensors.of(DType.F64, rng.fork("v").normal(x.numel()), x.shape(), x.device());
    Tensor dx = y.backward(u, GradMode.CREATE_GRAPH).of(x);
    Gradients g = dx.mul(v).sum().backward();
    return new double[][] {g.of(x).toDoubles(), g.of(c.w()).toDoubles()};
  }

  /** Rows of constants (variance 0): y = β exactly, the gradients as the composite's. */
  @Test
  void constantRows() {
    double[] v = {2, 2, 2, 2, -0.1, -0.1, -0.1, -0.1, 0, 0, 0, 0};
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      Case c = new Case(Tensors.of(t, v, 3, 4), Tensors.of(t, new double[] {1, 2, 3, 4}, 4).withGrad(),
          Tensors.of(t, new double[] {0.5, -1, 0, 2}, 4).withGrad());
      Tensor y = Functional.layerNorm(c.x(), new int[] {4}, c.w(), c.b(), 1e-5);
      assertArrayEquals(new double[] {0.5, -1, 0, 2, 0.5, -1, 0, 2, 0.5, -1, 0, 2}, y.toDoubles(), 0.0, t + " y = β");
      agree(c, t == DType.F32 ? 1e-5 : 1e-10);
    }
  }

  /** A NaN or ∞ makes its own row NaN (values and dx) and leaves the others alone, as in the composite. */
  @Test
  void nanAndInfinityStayInTheirRow() {
    double[] v = {1, Double.NaN, 3, 4, Double.POSITIVE_INFINITY, 2, 3, 4, 1, 2, 3, 5};
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      Case c = new Case(Tensors.of(t, v, 3, 4), null, null);
      agree(c, t == DType.F32 ? 1e-5 : 1e-10);
      double[] y = Functional.layerNorm(c.x(), new int[] {4}, null, null, 1e-5).toDoubles();
      for (int i = 0; i < 12; i++) {
        assertEquals(i < 8, Double.isNaN(y[i]), t + " y[" + i + "] = " + y[i]);
      }
    }
  }

  /** (1000, 130), F32: three parallel chunks of rows (forward, dx) and four of columns (dγ, dβ). */
  @Test
  void sameBitsOnOneThreadAndMany() {
    Case c = Case.draw(DType.F32, new int[] {1000, 130}, 3, 45);
    Tensor g = Tensors.of(DType.F32, Rng.seeded(46).normal(1000 * 130), c.x().shape(), c.x().device());
    double[][] parallel = run(c, true, g);
    double[][] inline = Parallel.sequentially(() -> run(c, true, g));
    for (int i = 0; i < parallel.length; i++) {
      assertArrayEquals(parallel[i], inline[i], 0.0, "output " + i + " differs between 1 and " + Parallel.threads()
          + " threads");
    }
  }

  /** Several normalised axes, a broadcast γ or mixed dtypes: the composite runs. */
  @Test
  void otherCasesUseTheComposite() {
    Tensor x = Tensors.randn(Rng.seeded(47), 2, 3, 4).withGrad(); // op() names the recorded op
    assertNotEquals("layer_norm", Functional.layerNorm(x, new int[] {3, 4}, null, null, 1e-5).op());
    assertNotEquals("layer_norm", Functional.layerNorm(x, new int[] {4}, Tensors.randn(Rng.seeded(1), 1), null, 1e-5).op());
    assertNotEquals("layer_norm",
        Functional.layerNorm(x, new int[] {4}, null, Tensors.randn(Rng.seeded(1), 4).cast(DType.F64), 1e-5).op());
    assertEquals("layer_norm", Functional.layerNorm(x, new int[] {4}, Tensors.randn(Rng.seeded(1), 4), null, 1e-5).op());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Functional.layerNorm(x, new int[] {3}, null, null, 1e-5));
    assertTrue(e.getMessage().contains("layer_norm") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
  }
}
