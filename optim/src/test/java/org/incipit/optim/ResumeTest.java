package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
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
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * 10 steps, save model and optimizer state, load both into fresh objects, 10 more steps: the same
 * bits as 20 straight steps — with a schedule and clipping in the loop, for every optimizer.
 */
class ResumeTest {
  private static final LrSchedule SCHEDULE = LrSchedule.cosine(3, 20, 0.1);

  private static Sequential model(long seed) {
    Rng rng = Rng.seeded(seed);
    return new Sequential(new Linear(4, 8, rng.fork("0")), Activation.tanh(), new LayerNorm(8, rng.fork("2")),
        new Linear(8, 2, rng.fork("3")));
  }

  private static void train(Module m, Optimizer opt, long until) {
    for (long t = opt.steps(); t < until; t++) {
      Rng batch = Rng.seeded(99).fork(t);
      Tensor x = Tensors.randn(batch.fork("x"), 16, 4);
      Tensor y = Tensors.randn(batch.fork("y"), 16, 2);
      Gradients g = Losses.mseLoss(((Sequential) m).forward(x), y, Reduction.MEAN).backward();
      opt.setLrFactor(SCHEDULE.factor(t));
      opt.step(Clipping.clipByGlobalNorm(g, m.parameters(), 0.5).gradients());
    }
  }

  /** The state through a safetensors file and back, as a resumed run would read it. */
  private static Map<String, Tensor> roundTrip(Map<String, Tensor> state) {
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("incipit-resume", ".safetensors");
      try {
        org.incipit.nn.io.Safetensors.write(file, state, Map.of());
        return org.incipit.nn.io.Safetensors.load(file);
      } finally {
        java.nio.file.Files.deleteIfExists(file);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void check(Function<Module, Optimizer> make) {
    Sequential straight = model(1);
    Optimizer a = make.apply(straight);
    train(straight, a, 20);

    Sequential first = model(1);
    Optimizer b = make.apply(first);
    train(first, b, 10);
    Map<String, Tensor> weights = roundTrip(first.stateDict());
    Map<String, Tensor> state = roundTrip(b.stateDict());

    Sequential resumed = model(2); // different initial values: everything must come from the checkpoint
    resumed.loadStateDict(weights);
    Optimizer c = make.apply(resumed);
    c.loadStateDict(state);
    assertEquals(10, c.steps());
    assertEquals(b.stateBytes(), c.stateBytes());
    train(resumed, c, 20);

    straight.stateDict().forEach((path, t) -> assertArrayEquals(bits(t), bits(resumed.stateDict().get(path)), path));
    Map<String, Tensor> sa = a.stateDict();
    Map<String, Tensor> sc = c.stateDict();
    assertEquals(sa.keySet(), sc.keySet());
    sa.forEach((k, t) -> assertArrayEquals(t.toDoubles(), sc.get(k).toDoubles(), k));
  }

  private static int[] bits(Tensor t) {
    float[] f = t.toFloats();
    int[] b = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = Float.floatToRawIntBits(f[i]);
    }
    return b;
  }

  @Test
  void adamWResumesBitForBit() {
    check(m -> new AdamW(ParamGroup.splitDecay(m, AdamW.Hyper.defaults().withLr(1e-2).withWeightDecay(0.1))));
    check(m -> AdamW.of(m, AdamW.Hyper.defaults().withAmsgrad(true)));
  }

  @Test
  void sgdResumesBitForBit() {
    check(m -> Sgd.of(m, Sgd.Hyper.defaults().withLr(0.1).withMomentum(0.9).withNesterov(true).withWeightDecay(1e-3)));
  }

  @Test
  void sgdSaiResumesBitForBit() {
    check(m -> SgdSai.of(m, SgdSai.Hyper.defaults()));
    check(m -> SgdSai.of(m, SgdSai.Hyper.defaults().withMomentum(0)));
  }

  @Test
  void loadingRejectsStateThatDoesNotFit() {
    Sequential m = model(1);
    AdamW opt = AdamW.of(m, AdamW.Hyper.defaults());
    train(m, opt, 1);
    Map<String, Tensor> good = opt.stateDict();
    AdamW fresh = AdamW.of(model(1), AdamW.Hyper.defaults());

    Map<String, Tensor> missing = new LinkedHashMap<>(good);
    missing.remove("0.weight.exp_avg_sq");
    missing.remove("steps");
    String msg = assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(missing)).getMessage();
    assertTrue(msg.contains("missing '0.weight.exp_avg_sq'") && msg.contains("missing 'steps'"), msg);

    Map<String, Tensor> extra = new LinkedHashMap<>(good);
    extra.put("9.weight.exp_avg", Tensors.zeros(2));
    extra.put("0.weight.momentum_buffer", Tensors.zeros(8, 4));
    msg = assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(extra)).getMessage();
    assertTrue(msg.contains("'9.weight.exp_avg'") && msg.contains("'0.weight.momentum_buffer'"), msg);

    Map<String, Tensor> shapes = new LinkedHashMap<>(good);
    shapes.put("0.bias.exp_avg", Tensors.zeros(3));
    shapes.put("0.bias.step", Tensors.zeros(1));
    msg = assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(shapes)).getMessage();
    assertTrue(msg.contains("'0.bias.exp_avg' has shape") && msg.contains("'0.bias.step' has shape"), msg);

    assertEquals(0, fresh.steps()); // nothing was loaded
    assertEquals(8, fresh.stateBytes());
    fresh.loadStateDict(good);
    assertEquals(opt.stateBytes(), fresh.stateBytes());
    assertEquals(DType.F64, good.get("steps").dtype());
  }
}
