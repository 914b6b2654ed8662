package org.incipit.models.nets;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Normal;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

class NetsTest {
  private static final CharGpt.Config SMALL = new CharGpt.Config(20, 8, 3, 16, 2);

  @Test
  void charGptShapesAndInitialLoss() {
    CharGpt gpt = new CharGpt(SMALL, CharGpt.Init.GPT2, Rng.seeded(1));
    Tensor idx = Tensors.ofLongs(Rng.seeded(2).integers(2 * 8, 20), 2, 8);
    assertEquals(Shape.of(2, 8, 20), gpt.forward(idx).shape());
    // with N(0, 0.02) weights the logits are tiny, so the loss is close to ln V
    double loss = gpt.loss(idx, Tensors.ofLongs(Rng.seeded(3).integers(16, 20), 2, 8)).item();
    assertEquals(Math.log(20), loss, 0.05);
    assertThrows(IllegalArgumentException.class, () -> gpt.forward(Tensors.ofLongs(new long[9], 1, 9)));
  }

  @Test
  void gpt2InitScalesOnlyTheResidualProjections() {
    CharGpt gpt = new CharGpt(SMALL, CharGpt.Init.GPT2, Rng.seeded(1));
    var params = gpt.namedParameters();
    assertEquals(new Normal(0, 0.02 / Math.sqrt(6)), params.get("blocks.1.attn.wo.weight").initializer());
    assertEquals(new Normal(0, 0.02 / Math.sqrt(6)), params.get("blocks.2.mlp.proj.weight").initializer());
    assertEquals(new Normal(0, 0.02), params.get("blocks.0.attn.wq.weight").initializer());
    assertEquals(new Normal(0, 0.02), params.get("wte.weight").initializer());
    assertEquals(new org.incipit.init.Constant(1), params.get("blocks.0.ln1.weight").initializer());
    assertEquals(0.0, sq(params.get("blocks.0.mlp.fc.bias")), 0.0);
    // sample std of the scaled projection: 16·16 values, relative standard error 1/√512 ≈ 4.4 %
    double std = Math.sqrt(sq(params.get("blocks.1.attn.wo.weight")) / 256);
    assertEquals(0.02 / Math.sqrt(6), std, 0.02 / Math.sqrt(6) * 0.25);
  }

  private static double sq(Parameter p) {
    double s = 0;
    for (double v : p.value().toDoubles()) {
      s += v * v;
    }
    return s;
  }

  @Test
  void generationIsDeterministicPerSeed() {
    CharGpt gpt = new CharGpt(SMALL, CharGpt.Init.PYTORCH_DEFAULT, Rng.seeded(1));
    long[] a = gpt.generate(new long[] {1, 2, 3}, 12, 1.0, Rng.seeded(5));
    assertEquals(12, a.length);
    assertArrayEquals(a, gpt.generate(new long[] {1, 2, 3}, 12, 1.0, Rng.seeded(5)));
    for (long t : a) {
      assertTrue(t >= 0 && t < 20);
    }
  }

  @Test
  void mlpAndCnnShapes() {
    Mlp mlp = Mlp.pytorchDefault(new int[] {64, 32, 10}, Tensor::relu, Rng.seeded(1));
    assertEquals(Shape.of(5, 10), mlp.forward(Tensors.randn(Rng.seeded(2), 5, 64)).shape());
    assertEquals(java.util.List.of("fc0.weight", "fc0.bias", "fc1.weight", "fc1.bias"),
        new java.util.ArrayList<>(mlp.namedParameters().keySet()));
    Cnn cnn = new Cnn(1, 10, Rng.seeded(3));
    assertEquals(Shape.of(4, 10), cnn.forward(Tensors.randn(Rng.seeded(4), 4, 1, 8, 8)).shape());
  }
}
