package org.incipit.optim;

import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Module;

/**
 * Adam with decoupled weight decay, with PyTorch's {@code torch.optim.AdamW} semantics and
 * defaults. Loshchilov and Hutter, 2019, "Decoupled Weight Decay Regularization" (ICLR),
 * arXiv:1711.05101; Adam: Kingma and Ba, 2015, arXiv:1412.6980; AMSGrad: Reddi, Kale and Kumar,
 * 2018, "On the Convergence of Adam and Beyond" (ICLR).
 *
 * <pre>
 * t ← t + 1                                    (per parameter)
 * θ ← θ·(1 − η·λ)                              (decoupled decay: independent of g)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * v̄ ← max(v̄, v)   with AMSGrad,   else   v̄ = v
 * θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v̄ / √(1 − β₂ᵗ) + ε)
 * </pre>
 *
 * The last line is PyTorch's arrangement of m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
 * As in PyTorch, AMSGrad keeps the running maximum of the raw v (not of v̂) and bias-corrects it
 * with the current t. m and v start at 0. The first step of a coordinate with |g| ≫ ε moves it by
 * ≈ −η·sign(g) (plus the decay).
 *
 * <p>State per parameter: {@code exp_avg} (m), {@code exp_avg_sq} (v), {@code max_exp_avg_sq}
 * (v̄, AMSGrad only) in the parameter's dtype, and the scalar {@code step} (t). PyTorch's
 * {@code maximize} is the same as stepping with −g.
 */
public final class AdamW extends GroupedOptimizer<AdamW.Hyper> {
  static final String M = "exp_avg";
  static final String V = "exp_avg_sq";
  static final String VMAX = "max_exp_avg_sq";
  static final String STEP = "step";

  /**
   * AdamW hyperparameters (PyTorch names: lr, betas, eps, weight_decay, amsgrad).
   *
   * @param lr learning rate η
   * @param beta1 β₁ ∈ [0, 1)
   * @param beta2 β₂ ∈ [0, 1)
   * @param eps ε ≥ 0, added to the denominator
   * @param weightDecay λ ≥ 0, decoupled: θ ← θ·(1 − η·λ)
   * @param amsgrad keep the running maximum of v
   */
  public record Hyper(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
      implements Hyperparameters<Hyper> {
    public Hyper {
      GroupedOptimizer.checkNonNegative("lr", lr);
      GroupedOptimizer.checkUnit("beta1", beta1);
      GroupedOptimizer.checkUnit("beta2", beta2);
      GroupedOptimizer.checkNonNegative("eps", eps);
      GroupedOptimizer.checkNonNegative("weight decay", weightDecay);
    }

    /** PyTorch's defaults: lr 1e−3, β = (0.9, 0.999), ε 1e−8, λ 1e−2, no AMSGrad. */
    public static Hyper defaults() {
      return new Hyper(1e-3, 0.9, 0.999, 1e-8, 1e-2, false);
    }

    @Override
    public Hyper withLr(double v) {
      return new Hyper(v, beta1, beta2, eps, weightDecay, amsgrad);
    }

    public Hyper withBetas(double b1, double b2) {
      return new Hyper(lr, b1, b2, eps, weightDecay, amsgrad);
    }

    public Hyper withEps(double v) {
      return new Hyper(lr, beta1, beta2, v, weightDecay, amsgrad);
    }

    @Override
    public Hyper withWeightDecay(double v) {
      return new Hyper(lr, beta1, beta2, eps, v, amsgrad);
    }

    public Hyper withAmsgrad(boolean v) {
      return new Hyper(lr, beta1, beta2, eps, weightDecay, v);
    }
  }

  public AdamW(List<ParamGroup<Hyper>> groups) {
    super(groups);
  }

  /** One group with every parameter of {@code module} (all decayed, as PyTorch does by default). */
  public static AdamW of(Module module, Hyper hyper) {
    return new AdamW(List.of(ParamGroup.of(module, hyper)));
  }

  @Override
  Tensor update(Tensor p, Tensor g, ParamState s, Hyper h, double lr) {
    double t = s.scalars.getOrDefault(STEP, 0.0) + 1;
    double bc1 = 1 - StrictMath.pow(h.beta1(), t);
    double bc2 = 1 - StrictMath.pow(h.beta2(), t);
    if (CpuUpdates.applies(p, g, s.tensors.get(M), s.tensors.get(V), s.tensors.get(VMAX))) {
      boolean inPlace = h.amsgrad() ? s.owns(M, V, VMAX) : s.owns(M, V);
      Tensor[] r = CpuUpdates.adamw(p, g, s.tensors.get(M), s.tensors.get(V), s.tensors.get(VMAX), lr, h.weightDecay(),
          h.beta1(), h.beta2(), h.eps(), bc1, bc2, h.amsgrad(), inPlace);
      s.scalars.put(STEP, t);
      s.putOwned(M, r[1]);
      s.putOwned(V, r[2]);
      if (h.amsgrad()) {
        s.putOwned(VMAX, r[3]);
      }
      return r[0];
    }
    Tensor m = s.tensors.containsKey(M) ? s.tensors.get(M) : Tensors.zerosLike(p);
    Tensor v = s.tensors.containsKey(V) ? s.tensors.get(V) : Tensors.zerosLike(p);
    if (h.weightDecay() != 0) {
      p = p.mul(1 - lr * h.weightDecay());
    }
    m = m.mul(h.beta1()).add(g.mul(1 - h.beta1()));
    v = v.mul(h.beta2()).add(g.mul(g).mul(1 - h.beta2()));
    s.scalars.put(STEP, t);
    s.put(M, m);
    s.put(V, v);
    Tensor vbar = v;
    if (h.amsgrad()) {
      Tensor vmax = s.tensors.get(VMAX);
      vbar = vmax == null ? v : vmax.maximum(v);
      s.put(VMAX, vbar);
    }
    Tensor denom = vbar.sqrt().div(Math.sqrt(bc2)).add(h.eps());
    return p.sub(m.div(denom).mul(lr / bc1));
  }

  @Override
  List<String> tensorSlots(Hyper h) {
    return h.amsgrad() ? List.of(M, V, VMAX) : List.of(M, V);
  }

  @Override
  List<String> scalarSlots(Hyper h) {
    return List.of(STEP);
  }
}
