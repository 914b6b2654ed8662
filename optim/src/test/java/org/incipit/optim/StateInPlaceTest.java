package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Module;
import org.incipit.nn.Sequential;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The CPU updates overwrite a state buffer in place only while the optimizer alone holds it: a
 * state dict handed out, or one loaded, is never written by a later step.
 */
class StateInPlaceTest {
  private static Sequential model() {
    Rng rng = Rng.seeded(11);
    return new Sequential(new Linear(4, 8, rng.fork("0")), Activation.tanh(), new Linear(8, 2, rng.fork("2")));
  }

  private static void step(Sequential m, Optimizer opt, int t) {
    Rng b = Rng.seeded(5).fork(t);
    Tensor x = Tensors.randn(b.fork("x"), 6, 4);
    Tensor y = Tensors.randn(b.fork("y"), 6, 2);
    opt.step(Losses.mseLoss(m.forward(x), y, Reduction.MEAN).backward());
  }

  private static Map<String, float[]> bits(Map<String, Tensor> dict) {
    Map<String, float[]> out = new LinkedHashMap<>();
    dict.forEach((k, v) -> out.put(k, v.toFloats()));
    return out;
  }

  private static void check(Function<Module, GroupedOptimizer<?>> make, String slot) {
    Sequential m = model();
    GroupedOptimizer<?> opt = make.apply(m);
    step(m, opt, 0);
    step(m, opt, 1);
    String path = "0.weight";
    Tensor before = opt.state(path).tensors.get(slot);
    step(m, opt, 2);
    assertSame(before, opt.state(path).tensors.get(slot), slot + " is updated in place while only the optimizer holds it");

    Map<String, Tensor> handed = opt.stateDict();
    Map<String, float[]> handedBits = bits(handed);
    step(m, opt, 3);
    step(m, opt, 4);
    handed.forEach((k, v) -> assertArrayEquals(handedBits.get(k), v.toFloats(), k + " changed after stateDict()"));
    assertNotSame(handed.get(path + "." + slot), opt.state(path).tensors.get(slot), "a new buffer after stateDict()");

    GroupedOptimizer<?> resumed = make.apply(m);
    Map<String, Tensor> loaded = opt.stateDict();
    Map<String, float[]> loadedBits = bits(loaded);
    resumed.loadStateDict(loaded);
    step(m, resumed, 5);
    step(m, resumed, 6);
    loaded.forEach((k, v) -> assertArrayEquals(loadedBits.get(k), v.toFloats(), k + " changed after loadStateDict()"));
  }

  @Test
  void adamwWritesOnlyItsOwnMoments() {
    check(m -> AdamW.of(m, AdamW.Hyper.defaults().withLr(1e-2)), AdamW.M);
    check(m -> AdamW.of(m, AdamW.Hyper.defaults().withLr(1e-2).withAmsgrad(true)), AdamW.VMAX);
  }

  @Test
  void sgdWritesOnlyItsOwnMomentumBuffer() {
    check(m -> Sgd.of(m, Sgd.Hyper.defaults().withLr(0.1).withMomentum(0.9)), "momentum_buffer");
    check(m -> SgdSai.of(m, SgdSai.Hyper.defaults()), "momentum_buffer");
  }

  /** The same bits as without the in-place writes: a state dict taken after every step changes nothing. */
  @Test
  void inPlaceChangesNoBit() {
    Sequential a = model();
    Sequential b = model();
    AdamW inPlace = AdamW.of(a, AdamW.Hyper.defaults().withLr(1e-2));
    AdamW fresh = AdamW.of(b, AdamW.Hyper.defaults().withLr(1e-2));
    for (int t = 0; t < 5; t++) {
      step(a, inPlace, t);
      step(b, fresh, t);
      fresh.stateDict(); // hands every buffer out: the next step allocates new ones
    }
    List<Tensor> pa = a.parameters().stream().map(p -> p.value()).toList();
    List<Tensor> pb = b.parameters().stream().map(p -> p.value()).toList();
    assertEquals(pa.size(), pb.size());
    for (int i = 0; i < pa.size(); i++) {
      assertArrayEquals(pb.get(i).toFloats(), pa.get(i).toFloats(), "parameter " + i);
    }
    Map<String, float[]> sa = bits(inPlace.stateDict());
    bits(fresh.stateDict()).forEach((k, v) -> assertArrayEquals(v, sa.get(k), k));
  }
}
