package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class AdamWTest {
  /**
   * First step, any g with |g| ≫ ε: m = (1−β₁)g, v = (1−β₂)g², so m̂ = g and v̂ = g², and
   * θ₁ = θ₀(1 − ηλ) − η·g/(|g| + ε) ≈ θ₀ − ηλθ₀ − η·sign(g). The decay term ηλθ₀ does not depend on g.
   */
  @Test
  void firstStepMovesByLrTimesSignOfG() {
    qt().withFixedSeed(20250101L).withExamples(100)
        .forAll(integers().between(1, 40).mix(Generate.pick(List.of(1, 40)), 20), longs().all(),
            doubles().between(1e-4, 0.1).mix(Generate.pick(List.of(1e-4, 0.1)), 20),
            doubles().between(0, 0.5).mix(Generate.pick(List.of(0.0, 0.5)), 20))
        .checkAssert(AdamWTest::firstStepMovesByLrTimesSignOfG);
  }

  static void firstStepMovesByLrTimesSignOfG(int n, long seed, double lr, double wd) {
    Rng rng = Rng.seeded(seed);
    double[] p0 = rng.fork("p").normal(n);
    double[] g = rng.fork("g").normal(n);
    Fixed m = new Fixed(Map.of("p", Fixed.f32(Shape.of(n), p0)));
    Parameter p = Fixed.p(m, "p");
    float[] before = p.value().toFloats();
    AdamW.of(m, AdamW.Hyper.defaults().withLr(lr).withWeightDecay(wd)).step(Fixed.grad(p, g));
    float[] after = p.value().toFloats();
    for (int i = 0; i < n; i++) {
      if (Math.abs((float) g[i]) < 1e-3) {
        continue; // |g| ≫ ε does not hold
      }
      double decay = lr * wd * before[i];
      double expected = before[i] - decay - lr * Math.signum(g[i]);
      assertEquals(expected, after[i], 1e-6 + 1e-5 * lr + 1e-6 * Math.abs(before[i]), "coordinate " + i);
    }
  }

  @Test
  void decayIsIndependentOfTheGradient() {
    // Two runs from θ₀ with gradients g and 1000·g: η·g/|g| is the same, so θ₁ agrees, and θ₀ − θ₁
    // minus the sign step is exactly the decay ηλθ₀.
    double[] p0 = {0.5, -1.5, 2.0};
    double[] g = {0.3, -2.0, 1e-2};
    double[] a = oneStep(p0, g);
    double[] b = oneStep(p0, new double[] {300, -2000, 10});
    assertArrayEquals(a, b, 1e-9);
    for (int i = 0; i < 3; i++) {
      assertEquals(p0[i] * (1 - 0.01 * 0.1) - 0.01 * Math.signum(g[i]), a[i], 1e-8);
    }
  }

  private static double[] oneStep(double[] p0, double[] g) {
    Fixed m = Fixed.f64(p0);
    AdamW.of(m, AdamW.Hyper.defaults().withLr(0.01).withWeightDecay(0.1).withEps(0)).step(Fixed.grad(Fixed.p(m, "p"), g));
    return Fixed.p(m, "p").value().toDoubles();
  }

  /**
   * η = 0.1, β = (0.5, 0.75), ε = 0, λ = 0.1; θ₀ = (1, −2); g₁ = (2, 0.5), g₂ = (−1, 0.5), g₃ = (4, 0.5).
   * <pre>
   * coordinate 0:
   *  t=1: θ = 1·(1 − 0.01) = 0.99;   m = 0.5·2 = 1;   v = 0.25·4 = 1
   *       bc1 = 0.5, bc2 = 0.25: step = (0.1/0.5)·1/(√1/√0.25) = 0.2·1/2 = 0.1   → θ = 0.89
   *  t=2: θ = 0.89·0.99 = 0.8811;  m = 0.5·1 + 0.5·(−1) = 0;  v = 0.75·1 + 0.25·1 = 1
   *       step = 0                                                              → θ = 0.8811
   *  t=3: θ = 0.8811·0.99 = 0.872289;  m = 0 + 0.5·4 = 2;  v = 0.75·1 + 0.25·16 = 4.75
   *       bc1 = 1 − 0.125 = 0.875, bc2 = 1 − 0.421875 = 0.578125
   *       step = (0.1/0.875)·2/(√4.75/√0.578125) = 0.0797417959913555          → θ = 0.7925472040086445
   * coordinate 1 (constant g = 0.5): m̂ = g and v̂ = g² exactly at every t, so each step is η·sign(g) = 0.1:
   *  θ = −2·0.99 − 0.1 = −2.08;  −2.08·0.99 − 0.1 = −2.1592;  −2.1592·0.99 − 0.1 = −2.237608
   * </pre>
   */
  @Test
  void handComputedThreeStepTrace() {
    Fixed m = Fixed.f64(1, -2);
    Parameter p = Fixed.p(m, "p");
    AdamW opt = AdamW.of(m, new AdamW.Hyper(0.1, 0.5, 0.75, 0, 0.1, false));
    double[][] g = {{2, 0.5}, {-1, 0.5}, {4, 0.5}};
    double[][] want = {{0.89, -2.08}, {0.8811, -2.1592}, {0.7925472040086445, -2.237608}};
    for (int t = 0; t < 3; t++) {
      opt.step(Fixed.grad(p, g[t]));
      assertArrayEquals(want[t], p.value().toDoubles(), 1e-12, "after step " + (t + 1));
    }
    assertEquals(3.0, opt.stateDict().get("p.step").item());
    assertArrayEquals(new double[] {2, 0.4375}, opt.stateDict().get("p.exp_avg").toDoubles(), 1e-12);
    assertArrayEquals(new double[] {4.75, 0.25 * 0.578125}, opt.stateDict().get("p.exp_avg_sq").toDoubles(), 1e-12);
  }

  /**
   * η = 0.1, β = (0, 0.5), ε = 0, λ = 0; θ₀ = 0; g₁ = 2, g₂ = 1 (so v falls).
   * <pre>
   * t=1: m = 2, v = 0.5·4 = 2, v̄ = 2; bc2 = 0.5: step = 0.1·2/(√2/√0.5) = 0.1     → θ = −0.1
   * t=2: m = 1, v = 0.5·2 + 0.5·1 = 1.5; bc2 = 0.75
   *   AMSGrad: v̄ = max(2, 1.5) = 2:  step = 0.1/(√2/√0.75) = 0.1·√0.375           → θ = −0.1 − 0.0612372…
   *   Adam:    v̄ = 1.5:              step = 0.1/(√1.5/√0.75) = 0.1/√2               → θ = −0.1 − 0.0707106…
   * </pre>
   */
  @Test
  void amsgradKeepsTheMaximumOfV() {
    for (boolean ams : new boolean[] {true, false}) {
      Fixed m = Fixed.f64(0);
      Parameter p = Fixed.p(m, "p");
      AdamW opt = AdamW.of(m, new AdamW.Hyper(0.1, 0, 0.5, 0, 0, ams));
      opt.step(Fixed.grad(p, 2));
      assertEquals(-0.1, p.value().item(), 1e-12);
      opt.step(Fixed.grad(p, 1));
      double want = -0.1 - (ams ? 0.1 * Math.sqrt(0.375) : 0.1 / Math.sqrt(2));
      assertEquals(want, p.value().item(), 1e-12, "amsgrad " + ams);
      assertEquals(ams, opt.stateDict().containsKey("p.max_exp_avg_sq"));
      if (ams) {
        assertEquals(2.0, opt.stateDict().get("p.max_exp_avg_sq").item(), 1e-12);
      }
    }
  }

  @Test
  void defaultsArePyTorchs() {
    assertEquals(new AdamW.Hyper(1e-3, 0.9, 0.999, 1e-8, 1e-2, false), AdamW.Hyper.defaults());
    assertThrows(IllegalArgumentException.class, () -> AdamW.Hyper.defaults().withBetas(1.0, 0.999));
    assertThrows(IllegalArgumentException.class, () -> AdamW.Hyper.defaults().withLr(-1));
  }

  @Test
  void rejectsAGradientOfTheWrongDtype() {
    Fixed m = new Fixed(Map.of("p", Tensors.zeros(2)));
    Parameter p = Fixed.p(m, "p");
    AdamW opt = AdamW.of(m, AdamW.Hyper.defaults());
    var bad = org.incipit.autograd.Gradients.from(Map.of(p.value(),
        Tensors.of(org.incipit.tensor.DType.F64, new double[] {1, 2}, 2)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.step(bad));
    assertEquals(true, e.getMessage().contains("'p'"), e.getMessage());
  }
}
