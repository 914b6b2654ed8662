package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import java.util.function.Function;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Module;
import org.incipit.nn.Sequential;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.LayerNorm;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * stateBytes = Σ numel·dtype.bytes over state tensors + 8 per scalar (per-parameter step / g-SNR,
 * and the optimizer's step count). With N parameter elements in T tensors, all F32 and all stepped:
 * AdamW = 2·4N + 8T + 8, SGD-SaI (μ ≠ 0) = 4N + 8T + 8, SGD with momentum = 4N + 8.
 */
class StateBytesTest {
  private static Sequential mlp(int in, int hidden, int out) {
    Rng rng = Rng.seeded(3);
    return new Sequential(new Linear(in, hidden, rng.fork("0")), Activation.tanh(), new LayerNorm(hidden, rng.fork("2")),
        new Linear(hidden, out, rng.fork("3")));
  }

  private static Gradients grads(Sequential m, int in, int out) {
    Rng rng = Rng.seeded(4);
    var x = Tensors.randn(rng.fork("x"), 5, in);
    var y = Tensors.randn(rng.fork("y"), 5, out);
    return Losses.mseLoss(m.forward(x), y, Reduction.MEAN).backward();
  }

  private static long bytesAfterOneStep(Function<Module, Optimizer> make, int in, int hidden, int out) {
    Sequential m = mlp(in, hidden, out);
    Optimizer opt = make.apply(m);
    opt.step(grads(m, in, out));
    return opt.stateBytes();
  }

  @Test
  void handCount() {
    // Linear(4, 3): 12 + 3; LayerNorm(3): 3 + 3; Linear(3, 2): 6 + 2 → N = 29 elements in T = 6 tensors
    Sequential m = mlp(4, 3, 2);
    assertEquals(29, m.parameterCount());
    AdamW adam = AdamW.of(m, AdamW.Hyper.defaults());
    assertEquals(8, adam.stateBytes()); // before any step: the step count only
    adam.step(grads(m, 4, 2));
    assertEquals(2 * 4 * 29 + 8 * 6 + 8, adam.stateBytes()); // 288: m and v, a step per tensor, the step count
    assertEquals(4 * 29 + 8 * 6 + 8, bytesAfterOneStep(x -> SgdSai.of(x, SgdSai.Hyper.defaults()), 4, 3, 2)); // 172
    assertEquals(8 * 6 + 8, bytesAfterOneStep(x -> SgdSai.of(x, SgdSai.Hyper.defaults().withMomentum(0)), 4, 3, 2));
    assertEquals(4 * 29 + 8, bytesAfterOneStep(x -> Sgd.of(x, Sgd.Hyper.defaults().withMomentum(0.9)), 4, 3, 2));
    assertEquals(3 * 4 * 29 + 8 * 6 + 8,
        bytesAfterOneStep(x -> AdamW.of(x, AdamW.Hyper.defaults().withAmsgrad(true)), 4, 3, 2));
  }

  /** SGD-SaI holds half of AdamW's tensor bytes on the same model; the scalars are the same (one per tensor). */
  /** Widths 1–9 each (1 and 9 mixed in one draw in five). */
  @Test
  void sgdSaiHoldsHalfOfAdamW() {
    Gen<Integer> width = integers().between(1, 9).mix(Generate.pick(List.of(1, 9)), 20);
    qt().withFixedSeed(77L).withExamples(20).forAll(width, width, width).checkAssert(StateBytesTest::sgdSaiHoldsHalfOfAdamW);
  }

  static void sgdSaiHoldsHalfOfAdamW(int in, int hidden, int out) {
    long scalars = 8L * 6 + 8;
    long adam = bytesAfterOneStep(x -> AdamW.of(x, AdamW.Hyper.defaults()), in, hidden, out);
    long sai = bytesAfterOneStep(x -> SgdSai.of(x, SgdSai.Hyper.defaults()), in, hidden, out);
    assertEquals(adam - scalars, 2 * (sai - scalars));
    long n = mlp(in, hidden, out).parameterCount();
    assertEquals(4 * n + scalars, sai);
  }
}
