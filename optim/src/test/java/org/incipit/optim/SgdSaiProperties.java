package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** SGD-SaI: the properties of spec §6 and issue 5. */
class SgdSaiProperties {
  private static Tensor randn(Rng rng, int n) {
    return Fixed.f32(Shape.of(n), rng.normal(n));
  }

  /** ‖cg‖/(std(cg) + ε) = ‖g‖/(std(g) + ε/c): scale-invariant up to ε (relative error ≤ ε/(c·std)). */
  @Property(tries = 200, seed = "511")
  void gsnrIsInvariantToScalingG(@ForAll @IntRange(min = 4, max = 64) int n, @ForAll long seed,
      @ForAll @DoubleRange(min = 0.1, max = 1000) @Scale(4) double c) {
    Tensor g = randn(Rng.seeded(seed), n);
    double a = SgdSai.gsnr(g, 1e-8);
    double b = SgdSai.gsnr(g.mul(c), 1e-8);
    assertEquals(a, b, 1e-5 * a);
  }

  /** With ε = 0 and c a power of two the scaling is exact in F32 and F64, so g-SNR is bit-identical. */
  @Property(tries = 100, seed = "512")
  void gsnrIsExactlyInvariantToPowersOfTwo(@ForAll @IntRange(min = 2, max = 64) int n, @ForAll long seed,
      @ForAll @IntRange(min = -20, max = 20) int k) {
    Tensor g = randn(Rng.seeded(seed), n);
    assertEquals(SgdSai.gsnr(g, 0), SgdSai.gsnr(g.mul(Math.scalb(1.0, k)), 0));
  }

  /** g-SNR comes from the first gradient only: later, very different gradients leave it unchanged. */
  @Property(tries = 50, seed = "513")
  void gsnrIsComputedExactlyOnce(@ForAll @IntRange(min = 2, max = 32) int n, @ForAll long seed) {
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
  @Property(tries = 100, seed = "514")
  void firstUpdateIsLrTimesGsnrTimesGPlusDecay(@ForAll @IntRange(min = 1, max = 48) int n, @ForAll long seed,
      @ForAll @DoubleRange(min = 1e-4, max = 0.05) @Scale(6) double lr,
      @ForAll @DoubleRange(min = 0, max = 0.1) @Scale(4) double wd,
      @ForAll @DoubleRange(min = 0, max = 0.99) @Scale(3) double momentum) {
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
