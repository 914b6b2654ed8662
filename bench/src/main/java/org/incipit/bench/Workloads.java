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
 * Incipit's side of the comparison harness: the same four workloads as {@code bench/python/workloads.py}.
 * Each factory returns one step to time.
 */
final class Workloads {
  private Workloads() {}

  static Runnable sgemm(int n) {
    Tensor a = Tensors.randn(Rng.seeded(1), n, n);
    Tensor b = Tensors.randn(Rng.seeded(2), n, n);
    return () -> NoGrad.run(() -> a.matmul(b));
  }

  /** MLP 784-512-512-10 (ReLU), batch 128: forward, backward and an AdamW step. */
  static Runnable mlp() {
    Rng rng = Rng.seeded(0);
    Mlp model = Mlp.pytorchDefault(new int[] {784, 512, 512, 10}, Tensor::relu, rng.fork("mlp"));
    AdamW opt = new AdamW(java.util.List.of(ParamGroup.of(model, AdamW.Hyper.defaults())));
    Tensor x = Tensors.randn(rng.fork("x"), 128, 784);
    Tensor y = Tensors.ofLongs(rng.fork("y").integers(128, 10), 128);
    return () -> opt.step(Losses.crossEntropy(model.forward(x), y).backward());
  }

  /** Char-GPT with 2 blocks, d_model 128, 4 heads, context 64, vocabulary 256, batch 16. */
  static Runnable gpt() {
    Rng rng = Rng.seeded(0);
    CharGpt model = new CharGpt(new CharGpt.Config(256, 64, 2, 128, 4), CharGpt.Init.PYTORCH_DEFAULT, rng.fork("gpt"));
    AdamW opt = new AdamW(java.util.List.of(ParamGroup.of(model, AdamW.Hyper.defaults())));
    Tensor idx = Tensors.ofLongs(rng.fork("idx").integers(16 * 64, 256), 16, 64);
    Tensor tgt = Tensors.ofLongs(rng.fork("tgt").integers(16 * 64, 256), 16, 64);
    return () -> opt.step(model.loss(idx, tgt).backward());
  }

  /** 1,000 recorded one-element additions (time per iteration / 1000 = per-op overhead). */
  static Runnable opOverhead() {
    Tensor a = Tensors.ones(1).withGrad();
    Tensor b = Tensors.ones(1);
    return () -> {
      for (int i = 0; i < 1000; i++) {
        a.add(b);
      }
    };
  }

  static Runnable named(String name) {
    return switch (name) {
      case "sgemm128" -> sgemm(128);
      case "sgemm1024" -> sgemm(1024);
      case "mlp" -> mlp();
      case "gpt" -> gpt();
      case "op" -> opOverhead();
      default -> throw new IllegalArgumentException("unknown workload " + name);
    };
  }
}
