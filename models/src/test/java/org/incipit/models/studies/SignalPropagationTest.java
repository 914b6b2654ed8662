package org.incipit.models.studies;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

class SignalPropagationTest {
  @Test
  void heIsFlatAndXavierHalvesPerReluLayer() {
    var schemes = SignalPropagation.classicSchemes();
    var he = SignalPropagation.measure(schemes.get(0), Tensor::relu, 20, 128, 128, Device.cpu(), Rng.seeded(1));
    var xavier = SignalPropagation.measure(schemes.get(1), Tensor::relu, 20, 128, 128, Device.cpu(), Rng.seeded(1));
    assertEquals(20, he.activationVar().length);
    assertTrue(he.maxDrift() < 0.5, "He drift " + he.maxDrift());
    // square layers: Xavier's variance is half of He's, so it halves at each ReLU layer: 19·log10(1/2) ≈ −5.7
    assertEquals(19 * Math.log10(0.5), xavier.totalChange(), 0.6);
    assertTrue(he.gradientVar()[0] > 0);
  }
}
