package org.incipit.bench;

import org.incipit.autograd.Losses;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.nets.Mlp;
import org.incipit.optim.AdamW;
import org.incipit.optim.ParamGroup;
import org.incipit.tensor.Rng;

/**
 * Incipit's side of the comparison harness: the same workloads as {@code bench/python/workloads.py}.
 * Each factory returns one step to time.
 */
final class Workloads {
  private Workloads() {}

  static Runnable sgemm(int n) {
    Tensor a = Tensors.randn(Rng.seeded(1), n, n);
    Tensor b = Tensors.randn(Rng.seeded(2), n, n);
    return () -> NoGrad.run(() -> a.matmul(b));
  }

  /** MLP 784-512-512-10 (ReLU), batch {@code batch}: forward, backward and an AdamW step. */
  static Runnable mlp(int batch) {
    Rng rng = Rng.seeded(0);
    Mlp model = Mlp.pytorchDefault(new int[] {784, 512, 512, 10}, Tensor::relu, rng.fork("mlp"));
    AdamW opt = new AdamW(java.util.List.of(ParamGroup.of(model, AdamW.Hyper.defaults())));
    Tensor x = Tensors.randn(rng.fork("x"), batch, 784);
    Tensor y = Tensors.ofLongs(rng.fork("y").integers(batch, 10), batch);
    return () -> opt.step(Losses.crossEntropy(model.forward(x), y).backward());
  }

  /** Char-GPT with {@code layers} blocks, d_model {@code d}, 4 heads, context {@code t}, vocabulary 256, batch 16. */
  static Runnable gpt(int t, int layers, int d) {
    Rng rng = Rng.seeded(0);
    CharGpt model = new CharGpt(new CharGpt.Config(256, t, layers, d, 4), CharGpt.Init.PYTORCH_DEFAULT, rng.fork("gpt"));
    AdamW opt = new AdamW(java.util.List.of(ParamGroup.of(model, AdamW.Hyper.defaults())));
    Tensor idx = Tensors.ofLongs(rng.fork("idx").integers(16 * t, 256), 16, t);
    Tensor tgt = Tensors.ofLongs(rng.fork("tgt").integers(16 * t, 256), 16, t);
    return () -> opt.step(model.loss(idx, tgt).backward());
  }

  /**
   * 1,000 chained, recorded one-element additions x ← x + b (chained, so the JIT cannot drop one as
   * dead code), then the backward pass when {@code backward}: time per iteration / 1000 = per-op cost.
   */
  static Runnable opChain(boolean backward) {
    Tensor a = Tensors.ones(1).withGrad();
    Tensor b = Tensors.ones(1);
    return () -> {
      Tensor x = a;
      for (int i = 0; i < 1000; i++) {
        x = x.add(b);
      }
      if (backward) {
        x.backward();
      } else {
        x.item(); // the result is read, as PyTorch's would be
      }
    };
  }

  static Runnable named(String name) {
    return switch (name) {
      case "sgemm128" -> sgemm(128);
      case "sgemm1024" -> sgemm(1024);
      case "mlp" -> mlp(128);
      case "mlp512" -> mlp(512);
      case "gpt" -> gpt(64, 2, 128);
      case "gpt-large" -> gpt(128, 4, 256);
      case "op" -> opChain(false);
      case "op-backward" -> opChain(true);
      default -> throw new IllegalArgumentException("unknown workload " + name);
    };
  }
}
