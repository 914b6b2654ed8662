package org.incipit.autograd;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.function.BiFunction;
import org.incipit.autograd.ops.FftConv;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The FFT convolution op: gradients by central differences (F64, PyTorch's tolerances, first and
 * second order, with broadcasting), bilinearity, impulses and shifts, dtypes and errors. The FFT
 * itself is tested against the DFT and direct sums in the tensor module ({@code FftTest}).
 */
class FftConvTest {
  private static final GradCheck.Options F64 = GradCheck.Options.float64();

  private static Tensor randn(Rng rng, int... shape) {
    return Tensors.randn(rng, shape).cast(DType.F64);
  }

  @Test
  void bothModesMatchCentralDifferencesUnderBroadcasting() {
    Rng rng = Rng.seeded(1);
    for (BiFunction<Tensor, Tensor, Tensor> op : java.util.List.<BiFunction<Tensor, Tensor, Tensor>>of(
        FftConv::convolve, FftConv::correlate)) {
      GradCheck.assertMatches(in -> op.apply(in[0], in[1]), new Tensor[] {randn(rng.fork("a"), 2, 3, 5),
          randn(rng.fork("b"), 3, 5)}, F64);                                      // kernel shared over the batch
      GradCheck.assertMatches(in -> op.apply(in[0], in[1]).exp(), new Tensor[] {randn(rng.fork("c"), 1, 7),
          randn(rng.fork("d"), 2, 1, 7)}, F64);                                   // both operands broadcast
      GradCheck.assertMatches(in -> op.apply(in[0], in[1]), new Tensor[] {randn(rng.fork("e"), 1),
          randn(rng.fork("f"), 1)}, F64);                                         // L = 1
    }
  }

  @Test
  void secondOrderGradientsMatchCentralDifferences() {
    Rng rng = Rng.seeded(2);
    Tensor v = randn(rng.fork("v"), 2, 6);
    // f(a, b) = ∂⟨convolve(a, b)², v⟩/∂a: the rule's own ops (correlate, then convolve) are on the tape
    GradCheck.assertMatches(in -> {
      Tensor a = leaf(in[0]);
      return FftConv.convolve(a, in[1]).square().backward(v, GradMode.CREATE_GRAPH).of(a);
    }, new Tensor[] {randn(rng.fork("a"), 2, 6), randn(rng.fork("b"), 6)}, F64);
    GradCheck.assertMatches(in -> {
      Tensor b = leaf(in[1]);
      return FftConv.correlate(in[0], b).square().backward(v, GradMode.CREATE_GRAPH).of(b);
    }, new Tensor[] {randn(rng.fork("c"), 2, 6), randn(rng.fork("d"), 2, 6)}, F64);
  }

  /** t itself when it takes gradients (the analytic pass), else a leaf that does (the numeric passes). */
  private static Tensor leaf(Tensor t) {
    return t.requiresGrad() ? t : t.withGrad();
  }

  private static void assertClose(Tensor want, Tensor got, double tol, String what) {
    double[] w = want.toDoubles();
    double[] g = got.toDoubles();
    assertEquals(w.length, g.length, what);
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], g[i], tol, what + " at " + i);
    }
  }

  /**
   * Both ops are bilinear: linear in each operand with the other fixed (to 1e-12·L; seen: 6e-16·L).
   * Lengths 1–40, the ends 1, 2 and 40 mixed in one draw in five.
   */
  @Test
  void bothOpsAreLinearInEachOperand() {
    qt().withFixedSeed(2022L).withExamples(60)
        .forAll(integers().between(1, 40).mix(Generate.pick(List.of(1, 2, 40)), 20), booleans().all(), longs().all())
        .checkAssert(FftConvTest::linearInEachOperand);
  }

  static void linearInEachOperand(int length, boolean correlate, long seed) {
    Rng rng = Rng.seeded(seed);
    BiFunction<Tensor, Tensor, Tensor> op = correlate ? FftConv::correlate : FftConv::convolve;
    Tensor a1 = randn(rng.fork("a1"), 3, length);
    Tensor a2 = randn(rng.fork("a2"), 3, length);
    Tensor b1 = randn(rng.fork("b1"), length);
    Tensor b2 = randn(rng.fork("b2"), length);
    double alpha = 0.7;
    double beta = -1.3;
    assertClose(op.apply(a1, b1).mul(alpha).add(op.apply(a2, b1).mul(beta)),
        op.apply(a1.mul(alpha).add(a2.mul(beta)), b1), 1e-12 * length, "linear in a");
    assertClose(op.apply(a1, b1).mul(alpha).add(op.apply(a1, b2).mul(beta)),
        op.apply(a1, b1.mul(alpha).add(b2.mul(beta))), 1e-12 * length, "linear in b");
  }

  @Test
  void impulsesGiveTheInputAndItsShifts() {
    Tensor u = Tensors.of(DType.F64, new double[] {1, -2, 3, 0.5, 4}, 5);
    Tensor delta0 = Tensors.of(DType.F64, new double[] {1, 0, 0, 0, 0}, 5);
    Tensor delta1 = Tensors.of(DType.F64, new double[] {0, 1, 0, 0, 0}, 5);
    assertArrayEquals(u.toDoubles(), Convolutions.causalConv(u, delta0).toDoubles(), 1e-15);
    // a delay by one step: causal, so the new first value is 0 and the last input drops out
    assertArrayEquals(new double[] {0, 1, -2, 3, 0.5}, Convolutions.causalConv(u, delta1).toDoubles(), 1e-15);
    // correlation with δ₁ looks one step ahead: y[s] = u[s+1]
    assertArrayEquals(new double[] {-2, 3, 0.5, 4, 0}, FftConv.correlate(u, delta1).toDoubles(), 1e-15);
    // the operands commute in a convolution
    assertArrayEquals(FftConv.convolve(delta1, u).toDoubles(), FftConv.convolve(u, delta1).toDoubles(), 1e-15);
  }

  @Test
  void dtypesShapesAndErrors() {
    Tensor f32 = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor f64 = Tensors.of(DType.F64, new double[] {1, 0, 0}, 3);
    assertEquals(DType.F32, FftConv.convolve(f32, f32.slice(0, 0, 1)).dtype());
    Tensor mixed = FftConv.convolve(f32, f64);
    assertEquals(DType.F64, mixed.dtype());
    assertEquals(org.incipit.tensor.Shape.of(2, 3), mixed.shape());
    assertArrayEquals(f32.toDoubles(), mixed.toDoubles(), 1e-15);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FftConv.convolve(f32, Tensors.ones(4)));
    assertTrue(e.getMessage().contains("fft_convolve") && e.getMessage().contains("[2, 3]")
        && e.getMessage().contains("[4]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FftConv.correlate(f32, Tensors.ones(3, 3)));
    assertTrue(e.getMessage().contains("fft_correlate"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FftConv.convolve(Tensors.arange(3), f64));
    assertTrue(e.getMessage().contains("floating"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FftConv.convolve(Tensors.scalar(1), Tensors.scalar(2)));
  }
}
