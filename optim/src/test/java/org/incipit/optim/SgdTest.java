package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.incipit.nn.Parameter;
import org.junit.jupiter.api.Test;

/** SGD variants on θ₀ = 1 with g = 1, 2, 3 and η = 0.1, traced by hand (PyTorch's torch.optim.SGD rules). */
class SgdTest {
  private static double[] run(Sgd.Hyper h) {
    Fixed m = Fixed.f64(1);
    Parameter p = Fixed.p(m, "p");
    Sgd opt = Sgd.of(m, h);
    double[] out = new double[3];
    for (int t = 0; t < 3; t++) {
      opt.step(Fixed.grad(p, t + 1));
      out[t] = p.value().item();
    }
    return out;
  }

  private static final Sgd.Hyper BASE = Sgd.Hyper.defaults().withLr(0.1);

  @Test
  void plain() {
    // θ = 1 − 0.1·1 = 0.9;  0.9 − 0.2 = 0.7;  0.7 − 0.3 = 0.4
    assertArrayEquals(new double[] {0.9, 0.7, 0.4}, run(BASE), 1e-12);
  }

  @Test
  void momentum() {
    // b = 1 (copy of g on the first step) → θ = 0.9
    // b = 0.9·1 + 2 = 2.9 → θ = 0.9 − 0.29 = 0.61
    // b = 0.9·2.9 + 3 = 5.61 → θ = 0.61 − 0.561 = 0.049
    assertArrayEquals(new double[] {0.9, 0.61, 0.049}, run(BASE.withMomentum(0.9)), 1e-12);
  }

  @Test
  void dampening() {
    // b = 1 (no dampening on the first step) → θ = 0.9
    // b = 0.9·1 + 0.5·2 = 1.9 → θ = 0.71
    // b = 0.9·1.9 + 0.5·3 = 3.21 → θ = 0.389
    assertArrayEquals(new double[] {0.9, 0.71, 0.389}, run(BASE.withMomentum(0.9).withDampening(0.5)), 1e-12);
  }

  @Test
  void nesterov() {
    // b = 1,    d = 1 + 0.9·1 = 1.9        → θ = 1 − 0.19 = 0.81
    // b = 2.9,  d = 2 + 0.9·2.9 = 4.61     → θ = 0.81 − 0.461 = 0.349
    // b = 5.61, d = 3 + 0.9·5.61 = 8.049   → θ = 0.349 − 0.8049 = −0.4559
    assertArrayEquals(new double[] {0.81, 0.349, -0.4559}, run(BASE.withMomentum(0.9).withNesterov(true)), 1e-12);
  }

  @Test
  void coupledWeightDecay() {
    // d = g + 0.1·θ:  d = 1.1 → θ = 0.89;  d = 2.089 → θ = 0.6811;  d = 3.06811 → θ = 0.374289
    assertArrayEquals(new double[] {0.89, 0.6811, 0.374289}, run(BASE.withWeightDecay(0.1)), 1e-12);
  }

  @Test
  void momentumWithDecayGoesThroughTheBuffer() {
    // d = 1 + 0.1 = 1.1, b = 1.1 → θ = 0.89
    // d = 2 + 0.089 = 2.089, b = 0.9·1.1 + 2.089 = 3.079 → θ = 0.89 − 0.3079 = 0.5821
    double[] got = run(BASE.withMomentum(0.9).withWeightDecay(0.1));
    assertEquals(0.89, got[0], 1e-12);
    assertEquals(0.5821, got[1], 1e-12);
  }

  @Test
  void noMomentumKeepsNoState() {
    Fixed m = Fixed.f64(1);
    Sgd opt = Sgd.of(m, BASE);
    opt.step(Fixed.grad(Fixed.p(m, "p"), 1));
    assertFalse(opt.stateDict().containsKey("p.momentum_buffer"));
    assertEquals(8, opt.stateBytes()); // only the step count
    Sgd withMomentum = Sgd.of(m, BASE.withMomentum(0.5));
    withMomentum.step(Fixed.grad(Fixed.p(m, "p"), 1));
    assertTrue(withMomentum.stateDict().containsKey("p.momentum_buffer"));
    assertEquals(8 + 8, withMomentum.stateBytes()); // one F64 element + the step count
  }

  @Test
  void nesterovNeedsMomentumAndNoDampening() {
    assertThrows(IllegalArgumentException.class, () -> BASE.withNesterov(true));
    assertThrows(IllegalArgumentException.class, () -> BASE.withMomentum(0.9).withDampening(0.1).withNesterov(true));
  }
}
