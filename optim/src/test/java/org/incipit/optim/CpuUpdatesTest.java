package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.function.Function;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Module;
import org.incipit.nn.Sequential;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.LayerNorm;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one-pass CPU updates give the same bits as the Tensor-op updates, step after step. */
class CpuUpdatesTest {
  @AfterEach
  void restore() {
    CpuUpdates.enabled = true;
  }

  private static Sequential model() {
    Rng rng = Rng.seeded(3);
    return new Sequential(new Linear(5, 16, rng.fork("0")), Activation.tanh(), new LayerNorm(16, rng.fork("2")),
        new Linear(16, 3, rng.fork("3")));
  }

  private static float[][] run(Function<Module, Optimizer> make, boolean fused) {
    CpuUpdates.enabled = fused;
    Sequential m = model();
    Optimizer opt = make.apply(m);
    for (int t = 0; t < 6; t++) {
      Rng b = Rng.seeded(7).fork(t);
      Tensor x = Tensors.randn(b.fork("x"), 8, 5);
      Tensor y = Tensors.randn(b.fork("y"), 8, 3);
      Gradients g = Losses.mseLoss(m.forward(x), y, Reduction.MEAN).backward();
      opt.setLrFactor(1 - 0.1 * t);
      opt.step(g);
    }
    List<Tensor> values = m.parameters().stream().map(p -> p.value()).toList();
    float[][] out = new float[values.size() + opt.stateDict().size()][];
    int i = 0;
    for (Tensor v : values) {
      out[i++] = v.toFloats();
    }
    for (Tensor s : opt.stateDict().values()) {
      out[i++] = s.toFloats();
    }
    return out;
  }

  private static void same(Function<Module, Optimizer> make) {
    long before = CpuUpdates.calls;
    float[][] fused = run(make, true);
    long during = CpuUpdates.calls;
    float[][] plain = run(make, false);
    org.junit.jupiter.api.Assertions.assertTrue(during > before, "the fused path ran");
    org.junit.jupiter.api.Assertions.assertEquals(during, CpuUpdates.calls, "the Tensor-op path ran");
    for (int i = 0; i < fused.length; i++) {
      assertArrayEquals(plain[i], fused[i], "tensor " + i);
    }
  }

  @Test
  void adamw() {
    same(m -> new AdamW(ParamGroup.splitDecay(m, AdamW.Hyper.defaults().withLr(1e-2).withWeightDecay(0.1))));
    same(m -> AdamW.of(m, AdamW.Hyper.defaults().withLr(1e-2).withAmsgrad(true)));
  }

  @Test
  void sgd() {
    same(m -> Sgd.of(m, Sgd.Hyper.defaults().withLr(0.1)));
    same(m -> Sgd.of(m, Sgd.Hyper.defaults().withLr(0.1).withMomentum(0.9).withWeightDecay(1e-3)));
    same(m -> Sgd.of(m, Sgd.Hyper.defaults().withLr(0.1).withMomentum(0.9).withNesterov(true)));
    same(m -> Sgd.of(m, Sgd.Hyper.defaults().withLr(0.1).withMomentum(0.5).withDampening(0.1)));
  }

  @Test
  void sgdSai() {
    same(m -> SgdSai.of(m, SgdSai.Hyper.defaults()));
    same(m -> SgdSai.of(m, SgdSai.Hyper.defaults().withMomentum(0).withWeightDecay(0)));
  }
}
