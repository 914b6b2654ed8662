package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * SGD-SaI: the properties of spec §6 and issue 5. Each range has its ends (and 0 or 1 where inside)
 * mixed in one draw in five.
 */
class SgdSaiProperties {
  private static Gen<Integer> ints(int lo, int hi, Integer... edges) {
    return integers().between(lo, hi).mix(Generate.pick(List.of(edges)), 20);
  }

  private static Gen<Double> reals(double lo, double hi, Double... edges) {
    return doubles().between(lo, hi).mix(Generate.pick(List.of(edges)), 20);
  }

  private static Tensor randn(Rng rng, int n) {
    return Fixed.f32(Shape.of(n), rng.normal(n));
  }

  /** ‖cg‖/(std(cg) + ε) = ‖g‖/(std(g) + ε/c): scale-invariant up to ε (relative error ≤ ε/(c·std)). */
  @Test
  void gsnrIsInvariantToScalingG() {
    qt().withFixedSeed(511L).withExamples(200).forAll(ints(4, 64, 4, 64), longs().all(), reals(0.1, 1000, 0.1, 1.0, 1000.0))
        .checkAssert((n, seed, c) -> {
          Tensor g = randn(Rng.seeded(seed), n);
          double a = SgdSai.gsnr(g, 1e-8);
          double b = SgdSai.gsnr(g.mul(c), 1e-8);
          assertEquals(a, b, 1e-5 * a, "n = " + n + ", c = " + c);
        });
  }

  /** With ε = 0 and c a power of two the scaling is exact in F32 and F64, so g-SNR is bit-identical. */
  @Test
  void gsnrIsExactlyInvariantToPowersOfTwo() {
    qt().withFixedSeed(512L).withExamples(100).forAll(ints(2, 64, 2, 64), longs().all(), ints(-20, 20, -20, -1, 0, 1, 20))
        .checkAssert((n, seed, k) -> {
          Tensor g = randn(Rng.seeded(seed), n);
          assertEquals(SgdSai.gsnr(g, 0), SgdSai.gsnr(g.mul(Math.scalb(1.0, k)), 0), "n = " + n + ", c = 2^" + k);
        });
  }

  /** g-SNR comes from the first gradient only: later, very different gradients leave it unchanged. */
  @Test
  void gsnrIsComputedExactlyOnce() {
    qt().withFixedSeed(513L).withExamples(50).forAll(ints(2, 32, 2, 32), longs().all())
        .checkAssert(SgdSaiProperties::gsnrIsComputedExactlyOnce);
  }

  static void gsnrIsComputedExactlyOnce(int n, long seed) {
    Rng rng = Rng.seeded(seed);
    Fixed m = new Fixed(Map.of("w", randn(rng.fork("p"), n)));
    Parameter w = Fixed.p(m, "w");
    SgdSai opt = SgdSai.of(m, SgdSai.Hyper.defaults());
    double[] g1 = rng.fork("g1").normal(n);
    opt.step(Fixed.grad(w, g1));
    double first = opt.gsnr("w").orElseThrow();
    assertEquals(SgdSai.gsnr(Fixed.f32(Shape.of(n), g1), 1e-8), first);
    for (int t = 2; t <= 5; t++) {
      double[] g = rng.fork("g" + t).normal(n);
      g[0] += 100 * t; // a large mean: a very different g-SNR were it recomputed
      opt.step(Fixed.grad(w, g));
      assertEquals(first, opt.gsnr("w").orElseThrow());
      assertEquals(first, opt.stateDict().get("w.gsnr").item());
    }
  }

  /** θ₁ = θ₀ − η·s·g − η·λ·θ₀ for any momentum (the first buffer is g itself). */
  /** lr ∈ [1e-4, 0.05], weight decay ∈ [0, 0.1], momentum ∈ [0, 0.99], drawn as one triple. */
  @Test
  void firstUpdateIsLrTimesGsnrTimesGPlusDecay() {
    Gen<double[]> hyper = reals(1e-4, 0.05, 1e-4, 0.05).zip(reals(0, 0.1, 0.0, 0.1), reals(0, 0.99, 0.0, 0.99),
        (lr, wd, momentum) -> new double[] {lr, wd, momentum}).describedAs(h -> "lr, wd, momentum " + Arrays.toString(h));
    qt().withFixedSeed(514L).withExamples(100).forAll(ints(1, 48, 1, 2, 48), longs().all(), hyper)
        .checkAssert((n, seed, h) -> firstUpdate(n, seed, h[0], h[1], h[2]));
  }

  static void firstUpdate(int n, long seed, double lr, double wd, double momentum) {
    Rng rng = Rng.seeded(seed);
    Fixed m = new Fixed(Map.of("w", randn(rng.fork("p"), n)));
    Parameter w = Fixed.p(m, "w");
    float[] p0 = w.value().toFloats();
    double[] g = rng.fork("g").normal(n);
    SgdSai opt = SgdSai.of(m, new SgdSai.Hyper(lr, momentum, 1e-8, wd));
    opt.step(Fixed.grad(w, g));
    double s = SgdSai.gsnr(Fixed.f32(Shape.of(n), g), 1e-8);
    float[] p1 = w.value().toFloats();
    for (int i = 0; i < n; i++) {
      double want = p0[i] - lr * s * (float) g[i] - lr * wd * p0[i];
      assertEquals(want, p1[i], 1e-6 * (1 + Math.abs(p0[i]) + lr * s * Math.abs(g[i])), "element " + i);
    }
  }
}
