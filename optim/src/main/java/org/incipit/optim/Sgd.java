package org.incipit.optim;

import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Module;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and coupled (L2)
 * weight decay, with PyTorch's {@code torch.optim.SGD} semantics.
 *
 * <pre>
 * d ← g + λ·θ                                  (weight decay λ, added to the gradient)
 * b ← d                        on the first step of a parameter (a copy, no dampening)
 * b ← μ·b + (1 − τ)·d          afterwards      (momentum μ, dampening τ)
 * d ← d + μ·b   (Nesterov)   or   d ← b         when μ ≠ 0
 * θ ← θ − η·d
 * </pre>
 *
 * With μ = 0 there is no buffer and no state. Nesterov momentum needs μ &gt; 0 and τ = 0 (PyTorch
 * rejects the other combinations too). As in PyTorch, η multiplies the buffer rather than the
 * gradient inside it, unlike Sutskever, Martens, Dahl and Hinton, 2013, "On the importance of
 * initialization and momentum in deep learning" (ICML); the two agree while η is constant.
 *
 * <p>State per parameter: {@code momentum_buffer} (only when μ ≠ 0). PyTorch's {@code maximize}
 * is the same as stepping with −g.
 */
public final class Sgd extends GroupedOptimizer<Sgd.Hyper> {
  static final String BUF = "momentum_buffer";

  /**
   * SGD hyperparameters (PyTorch names: lr, momentum, dampening, weight_decay, nesterov).
   *
   * @param lr learning rate η
   * @param momentum μ ≥ 0
   * @param dampening τ
   * @param weightDecay λ ≥ 0, coupled: added to the gradient as λ·θ
   * @param nesterov Nesterov momentum (needs μ &gt; 0, τ = 0)
   */
  public record Hyper(double lr, double momentum, double dampening, double weightDecay, boolean nesterov)
      implements Hyperparameters<Hyper> {
    public Hyper {
      GroupedOptimizer.checkNonNegative("lr", lr);
      GroupedOptimizer.checkNonNegative("momentum", momentum);
      GroupedOptimizer.checkNonNegative("weight decay", weightDecay);
      if (!Double.isFinite(dampening)) {
        throw new IllegalArgumentException("dampening must be finite, got " + dampening);
      }
      if (nesterov && (momentum <= 0 || dampening != 0)) {
        throw new IllegalArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening (got momentum "
            + momentum + ", dampening " + dampening + ")");
      }
    }

    /** PyTorch's defaults: lr 1e−3 (the default since PyTorch 2.0), no momentum, no decay. */
    public static Hyper defaults() {
      return new Hyper(1e-3, 0, 0, 0, false);
    }

    @Override
    public Hyper withLr(double v) {
      return new Hyper(v, momentum, dampening, weightDecay, nesterov);
    }

    public Hyper withMomentum(double v) {
      return new Hyper(lr, v, dampening, weightDecay, nesterov);
    }

    public Hyper withDampening(double v) {
      return new Hyper(lr, momentum, v, weightDecay, nesterov);
    }

    @Override
    public Hyper withWeightDecay(double v) {
      return new Hyper(lr, momentum, dampening, v, nesterov);
    }

    public Hyper withNesterov(boolean v) {
      return new Hyper(lr, momentum, dampening, weightDecay, v);
    }
  }

  public Sgd(List<ParamGroup<Hyper>> groups) {
    super(groups);
  }

  /** One group with every parameter of {@code module}. */
  public static Sgd of(Module module, Hyper hyper) {
    return new Sgd(List.of(ParamGroup.of(module, hyper)));
  }

  @Override
  Tensor update(Tensor p, Tensor g, ParamState s, Hyper h, double lr) {
    if (CpuUpdates.applies(p, g, s.tensors.get(BUF))) {
      Tensor[] r = CpuUpdates.sgd(p, g, s.tensors.get(BUF), s.owns(BUF), lr, h.weightDecay(), h.momentum(),
          h.dampening(), h.nesterov());
      if (r[1] != null) {
        s.putOwned(BUF, r[1]);
      }
      return r[0];
    }
    Tensor d = h.weightDecay() != 0 ? g.add(p.mul(h.weightDecay())) : g;
    if (h.momentum() != 0) {
      Tensor buf = s.tensors.get(BUF);
      buf = buf == null ? d.contiguous() : buf.mul(h.momentum()).add(h.dampening() != 0 ? d.mul(1 - h.dampening()) : d);
      s.put(BUF, buf);
      d = h.nesterov() ? d.add(buf.mul(h.momentum())) : buf;
    }
    return p.sub(d.mul(lr));
  }

  @Override
  List<String> tensorSlots(Hyper h) {
    return h.momentum() != 0 ? List.of(BUF) : List.of();
  }

  @Override
  List<String> scalarSlots(Hyper h) {
    return List.of();
  }
}
