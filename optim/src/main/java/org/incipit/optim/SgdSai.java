package org.incipit.optim;

import java.util.List;
import java.util.OptionalDouble;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Module;
import org.incipit.tensor.DType;

/**
 * SGD-SaI: SGD with momentum whose learning rate is scaled, per parameter tensor, by the gradient
 * signal-to-noise ratio measured once at the start. Xu, Xiang, Cai and Wen, 2024, "No More Adam:
 * Learning Rate Scaling at Initialization is All You Need", arXiv:2412.11768; reference code
 * AnonymousAlethiometer/SGD_SaI {@code sgd_sai/sgd_sai.py} v1.0.3, whose rule this follows.
 *
 * <pre>
 * s = ‖g‖₂ / (std(g) + ε)          g-SNR, from the parameter's FIRST gradient, then frozen;
 *                                  std is the unbiased (n − 1) standard deviation
 * b ← g                            on the parameter's first step (a copy: no (1 − μ) factor)
 * b ← μ·b + (1 − μ)·g              afterwards
 * θ ← θ·(1 − η·λ) − η·s·b          decoupled decay, not scaled by s
 * </pre>
 *
 * g-SNR is invariant to scaling g (up to ε) and ≈ √n for a zero-mean block of n elements. One
 * buffer per tensor (plus one scalar) instead of AdamW's two moments halves the state.
 *
 * <p>Edge cases, where the reference code fails:
 * <ul>
 *   <li><b>One-element tensors</b> (scalar gains, temperatures): the unbiased std of one value is
 *       undefined; the reference code turns its NaN into 0 and so scales the step by |g|/ε (≈10⁸
 *       for |g| = 1). Here a one-element tensor gets s = 1: plain SGD with momentum, also what the
 *       authors' later √n approximation (v1.1.0) gives for n = 1.</li>
 *   <li><b>No gradient on the first step</b>: the reference code measures g-SNR only on its first
 *       {@code step()} call and later fails with a KeyError for a tensor that had no gradient then.
 *       Here each tensor gets its g-SNR (and starts its buffer) at its own first gradient.</li>
 *   <li><b>Momentum 0</b>: the reference code uses an undefined buffer. Here μ = 0 keeps no buffer
 *       and steps with g itself, which is what b ← g on every step means; the state is then s
 *       alone.</li>
 *   <li>Kept as in the reference: a constant gradient (std 0) gives s = ‖g‖/ε, an all-zero first
 *       gradient gives s = 0 (the tensor then only decays). Later versions of the reference
 *       (v1.0.4) divide s by the largest s of the model; this class does not.</li>
 * </ul>
 * g-SNR is computed in float64 from the gradient's values; the update runs in the parameter's
 * dtype. State per parameter: {@code momentum_buffer} (when μ ≠ 0) and the scalar {@code gsnr}.
 */
public final class SgdSai extends GroupedOptimizer<SgdSai.Hyper> {
  static final String BUF = "momentum_buffer";
  static final String GSNR = "gsnr";

  /**
   * SGD-SaI hyperparameters (reference names: lr, momentum, eps, weight_decay).
   *
   * @param lr learning rate η
   * @param momentum μ ∈ [0, 1)
   * @param eps ε ≥ 0 in the g-SNR denominator
   * @param weightDecay λ ≥ 0, decoupled: θ ← θ·(1 − η·λ)
   */
  public record Hyper(double lr, double momentum, double eps, double weightDecay) implements Hyperparameters<Hyper> {
    public Hyper {
      GroupedOptimizer.checkNonNegative("lr", lr);
      GroupedOptimizer.checkUnit("momentum", momentum);
      GroupedOptimizer.checkNonNegative("eps", eps);
      GroupedOptimizer.checkNonNegative("weight decay", weightDecay);
    }

    /** The reference defaults: lr 1e−2, μ 0.9, ε 1e−8, λ 1e−2. */
    public static Hyper defaults() {
      return new Hyper(1e-2, 0.9, 1e-8, 1e-2);
    }

    @Override
    public Hyper withLr(double v) {
      return new Hyper(v, momentum, eps, weightDecay);
    }

    public Hyper withMomentum(double v) {
      return new Hyper(lr, v, eps, weightDecay);
    }

    public Hyper withEps(double v) {
      return new Hyper(lr, momentum, v, weightDecay);
    }

    @Override
    public Hyper withWeightDecay(double v) {
      return new Hyper(lr, momentum, eps, v);
    }
  }

  public SgdSai(List<ParamGroup<Hyper>> groups) {
    super(groups);
  }

  /** One group with every parameter of {@code module}. */
  public static SgdSai of(Module module, Hyper hyper) {
    return new SgdSai(List.of(ParamGroup.of(module, hyper)));
  }

  /**
   * g-SNR of one gradient tensor: ‖g‖₂ / (std(g) + ε) with the unbiased std, in float64; 1 for a
   * one-element tensor (see the class comment).
   */
  public static double gsnr(Tensor g, double eps) {
    int n = g.numel();
    if (n == 1) {
      return 1.0;
    }
    return NoGrad.run(() -> {
      Tensor x = g.detach().cast(DType.F64);
      double sumSq = x.square().sum().item();
      double mean = x.sum().item() / n;
      double std = Math.sqrt(x.sub(mean).square().sum().item() / (n - 1));
      return Math.sqrt(sumSq) / (std + eps);
    });
  }

  /** The frozen g-SNR of the parameter at {@code path}; empty before its first gradient. */
  public OptionalDouble gsnr(String path) {
    ParamState s = state(path);
    return s == null ? OptionalDouble.empty() : OptionalDouble.of(s.scalars.get(GSNR));
  }

  @Override
  Tensor update(Tensor p, Tensor g, ParamState s, Hyper h, double lr) {
    double snr = s.scalars.computeIfAbsent(GSNR, k -> gsnr(g, h.eps()));
    if (CpuUpdates.applies(p, g, s.tensors.get(BUF))) {
      Tensor[] r = CpuUpdates.sgdSai(p, g, s.tensors.get(BUF), s.owns(BUF), lr, h.weightDecay(), h.momentum(), snr);
      if (r[1] != null) {
        s.putOwned(BUF, r[1]);
      }
      return r[0];
    }
    Tensor d = g;
    if (h.momentum() != 0) {
      Tensor buf = s.tensors.get(BUF);
      d = buf == null ? g.contiguous() : buf.mul(h.momentum()).add(g.mul(1 - h.momentum()));
      s.put(BUF, d);
    }
    Tensor decayed = h.weightDecay() != 0 ? p.mul(1 - lr * h.weightDecay()) : p;
    return decayed.sub(d.mul(lr * snr));
  }

  @Override
  List<String> tensorSlots(Hyper h) {
    return h.momentum() != 0 ? List.of(BUF) : List.of();
  }

  @Override
  List<String> scalarSlots(Hyper h) {
    return List.of(GSNR);
  }
}
