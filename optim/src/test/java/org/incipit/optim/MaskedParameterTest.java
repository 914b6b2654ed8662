package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.RandomPruning;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.prune.Pruning;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * A masked parameter stays exactly zero where its mask is 0 after every step of every optimizer,
 * and the optimizer keeps no state there (Liu et al. 2022 train with a fixed mask: {@code --fix}).
 */
class MaskedParameterTest {
  private static final int STEPS = 12;

  /** Trains a 6→5 linear layer at density 0.4 on a fixed regression batch; checks the mask after each step. */
  private static void holdsThroughTraining(String name, Function<Module, Optimizer> make, String slot) {
    Rng rng = Rng.seeded(7);
    Linear layer = new Linear(6, 5, rng.fork("layer"));
    Map<String, Tensor> masks = Pruning.random(layer, Map.of("weight", 0.4), rng.fork("mask"));
    double[] mask = masks.get("weight").toDoubles();
    double[] w0 = layer.weight().value().toDoubles();
    Tensor x = Tensors.randn(rng.fork("x"), 16, 6); // (16, 6)
    Tensor y = Tensors.randn(rng.fork("y"), 16, 5); // (16, 5)
    Optimizer opt = make.apply(layer);
    for (int t = 0; t < STEPS; t++) {
      Tensor loss = layer.forward(x).sub(y).square().mean();
      opt.step(loss.backward());
      double[] w = layer.weight().value().toDoubles();
      for (int i = 0; i < w.length; i++) {
        if (mask[i] == 0) {
          assertEquals(0.0, w[i], 0.0, name + ": pruned weight " + i + " after step " + (t + 1));
        }
      }
    }
    double[] w = layer.weight().value().toDoubles();
    for (int i = 0; i < w.length; i++) {
      if (mask[i] == 1) {
        assertNotEquals(w0[i], w[i], name + ": kept weight " + i + " was trained");
      }
    }
    if (slot != null) {
      double[] state = opt.stateDict().get("weight." + slot).toDoubles();
      for (int i = 0; i < state.length; i++) {
        if (mask[i] == 0) {
          assertEquals(0.0, state[i], 0.0, name + ": " + slot + " at pruned entry " + i);
        }
      }
    }
  }

  @Test
  void sgdWithMomentumAndWeightDecayKeepsPrunedWeightsZero() {
    holdsThroughTraining("SGD", m -> Sgd.of(m, Sgd.Hyper.defaults().withLr(0.1).withMomentum(0.9).withWeightDecay(1e-2)),
        Sgd.BUF);
  }

  @Test
  void adamWWithWeightDecayKeepsPrunedWeightsZero() {
    holdsThroughTraining("AdamW", m -> AdamW.of(m, AdamW.Hyper.defaults().withLr(0.05).withWeightDecay(0.1)), "exp_avg");
  }

  @Test
  void sgdSaiKeepsPrunedWeightsZero() {
    holdsThroughTraining("SGD-SaI", m -> SgdSai.of(m, SgdSai.Hyper.defaults().withLr(0.05)), "momentum_buffer");
  }

  @Test
  void assignAndResetAreMaskedAndTheMaskIsChecked() {
    Linear layer = new Linear(3, 2, Rng.seeded(1));
    Parameter w = layer.weight();
    Tensor mask = Tensors.of(new float[] {1, 0, 1, 0, 0, 1}, 2, 3);
    w.setMask(mask);
    w.assign(Tensors.ones(2, 3)); // a checkpoint load or any assignment
    assertEquals(java.util.List.of(1.0, 0.0, 1.0, 0.0, 0.0, 1.0), java.util.Arrays.stream(w.value().toDoubles()).boxed().toList());
    w.reset(Rng.seeded(2));
    double[] v = w.value().toDoubles();
    assertTrue(v[1] == 0 && v[3] == 0 && v[4] == 0 && v[0] != 0, "a re-drawn value is masked");
    assertThrows(IllegalArgumentException.class, () -> w.setMask(Tensors.ones(3, 2)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> w.setMask(Tensors.of(new float[] {1, 0.5f, 1, 0, 0, 1}, 2, 3)));
    assertTrue(e.getMessage().contains("0 and 1"), e.getMessage());
    w.clearMask();
    w.assign(Tensors.ones(2, 3));
    assertEquals(6.0, w.value().sum().item(), 0.0);
  }

  @Test
  void randomPruningOfAModuleLeavesBiasesDense() {
    Linear layer = new Linear(40, 30, Rng.seeded(3));
    Map<String, Tensor> masks = Pruning.random(layer, 0.25, RandomPruning.Method.ERK, Rng.seeded(4));
    assertEquals(java.util.Set.of("weight"), masks.keySet());
    assertEquals(Shape.of(30, 40), masks.get("weight").shape());
    // one layer: ERK's only non-dense layer takes the whole budget, so d = 0.25; 1200 draws
    assertEquals(0.25, Pruning.density(layer), 0.05);
  }
}
