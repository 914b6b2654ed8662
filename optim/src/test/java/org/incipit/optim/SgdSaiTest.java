package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Parameter;
import org.incipit.tensor.DType;
import org.junit.jupiter.api.Test;

/** SGD-SaI edge cases and a hand-computed trace. */
class SgdSaiTest {
  @Test
  void gsnrByHand() {
    // g = (1, 2, 3, 4): ‖g‖ = √30; mean 2.5, unbiased var = (2.25 + 0.25 + 0.25 + 2.25)/3 = 5/3
    double want = Math.sqrt(30) / (Math.sqrt(5.0 / 3) + 1e-8);
    assertEquals(want, SgdSai.gsnr(Tensors.of(new float[] {1, 2, 3, 4}, 4), 1e-8), 1e-12);
    // a zero-mean block of n has g-SNR ≈ √n: ‖g‖ = √(n−1)·std exactly when the mean is 0
    assertEquals(Math.sqrt(3), SgdSai.gsnr(Tensors.of(new float[] {1, -1, 1, -1}, 4), 0), 1e-12);
  }

  /**
   * θ₀ = (1, −1), g₁ = (1, −1) (s = √2/(√2 + ε) ≈ 1), g₂ = (3, 1); η = 0.1, μ = 0.5, λ = 0.1, ε = 0:
   * <pre>
   * s = ‖(1, −1)‖/std = √2/√2 = 1 (mean 0, unbiased var 2)
   * t=1: b = g₁ = (1, −1);  θ = θ₀·0.99 − 0.1·b = (0.89, −0.89)
   * t=2: b = 0.5·(1, −1) + 0.5·(3, 1) = (2, 0);  θ = (0.89·0.99 − 0.2, −0.89·0.99) = (0.6811, −0.8811)
   * </pre>
   */
  @Test
  void handComputedTrace() {
    Fixed m = Fixed.f64(1, -1);
    Parameter p = Fixed.p(m, "p");
    SgdSai opt = SgdSai.of(m, new SgdSai.Hyper(0.1, 0.5, 0, 0.1));
    opt.step(Fixed.grad(p, 1, -1));
    assertEquals(1.0, opt.gsnr("p").orElseThrow(), 1e-15);
    assertArrayEquals(new double[] {0.89, -0.89}, p.value().toDoubles(), 1e-12);
    opt.step(Fixed.grad(p, 3, 1));
    assertArrayEquals(new double[] {0.6811, -0.8811}, p.value().toDoubles(), 1e-12);
    assertArrayEquals(new double[] {2, 0}, opt.stateDict().get("p.momentum_buffer").toDoubles(), 1e-12);
  }

  /** One element: the unbiased std is undefined; we use s = 1 (the reference would use |g|/ε ≈ 10⁸). */
  @Test
  void oneElementTensorsGetGsnrOne() {
    Map<String, org.incipit.autograd.Tensor> values = new LinkedHashMap<>();
    values.put("vec", Tensors.of(DType.F64, new double[] {2}, 1));
    values.put("scalar", Tensors.full(org.incipit.tensor.Shape.scalar(), 2, DType.F64, org.incipit.tensor.Device.cpu()));
    Fixed m = new Fixed(values);
    SgdSai opt = SgdSai.of(m, new SgdSai.Hyper(0.1, 0.9, 1e-8, 0.1));
    opt.step(Fixed.grads(m, Map.of("vec", new double[] {5}, "scalar", new double[] {5})));
    for (String path : values.keySet()) {
      assertEquals(1.0, opt.gsnr(path).orElseThrow(), path);
      assertEquals(2 * 0.99 - 0.1 * 5, Fixed.p(m, path).value().item(), 1e-12, path); // θ(1 − ηλ) − η·1·g
    }
  }

  /** A tensor without a gradient on step 1 is untouched and gets its g-SNR (and buffer) at its first gradient. */
  @Test
  void aTensorWithoutGradientOnStepOneGetsItsGsnrLater() {
    Map<String, org.incipit.autograd.Tensor> values = new LinkedHashMap<>();
    values.put("a", Tensors.of(DType.F64, new double[] {1, 1}, 2));
    values.put("b", Tensors.of(DType.F64, new double[] {1, 1}, 2));
    Fixed m = new Fixed(values);
    SgdSai opt = SgdSai.of(m, new SgdSai.Hyper(0.1, 0.9, 0, 0));
    opt.step(Fixed.grads(m, Map.of("a", new double[] {1, -1})));
    assertTrue(opt.gsnr("b").isEmpty());
    assertFalse(opt.stateDict().keySet().stream().anyMatch(k -> k.startsWith("b.")));
    assertArrayEquals(new double[] {1, 1}, Fixed.p(m, "b").value().toDoubles());
    // g = (3, 1): ‖g‖ = √10, std = √2 → s = √5; first buffer = g: θ = 1 − 0.1·√5·g
    opt.step(Fixed.grads(m, Map.of("a", new double[] {1, -1}, "b", new double[] {3, 1})));
    double s = Math.sqrt(5);
    assertEquals(s, opt.gsnr("b").orElseThrow(), 1e-12);
    assertArrayEquals(new double[] {1 - 0.1 * s * 3, 1 - 0.1 * s}, Fixed.p(m, "b").value().toDoubles(), 1e-12);
    assertArrayEquals(new double[] {3, 1}, opt.stateDict().get("b.momentum_buffer").toDoubles());
  }

  /** μ = 0: no buffer; every step uses g itself (b ← g each step), so the state is g-SNR alone. */
  @Test
  void momentumZeroStepsWithTheGradient() {
    Fixed m = Fixed.f64(1, -1);
    Parameter p = Fixed.p(m, "p");
    SgdSai opt = SgdSai.of(m, new SgdSai.Hyper(0.1, 0, 0, 0));
    opt.step(Fixed.grad(p, 1, -1)); // s = 1: θ = (0.9, −0.9)
    opt.step(Fixed.grad(p, 3, 1)); //  θ = (0.9 − 0.3, −0.9 − 0.1)
    assertArrayEquals(new double[] {0.6, -1.0}, p.value().toDoubles(), 1e-12);
    assertEquals(Map.of("p.gsnr", 1.0, "steps", 2.0),
        Map.of("p.gsnr", opt.stateDict().get("p.gsnr").item(), "steps", opt.stateDict().get("steps").item()));
    assertEquals(2, opt.stateDict().size());
    assertEquals(8 + 8, opt.stateBytes());
  }

  @Test
  void defaultsAreTheReferenceCodes() {
    assertEquals(new SgdSai.Hyper(1e-2, 0.9, 1e-8, 1e-2), SgdSai.Hyper.defaults());
  }
}
