package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * The spike of a spiking neuron: a Heaviside step in the forward pass, a piecewise-linear
 * <em>surrogate</em> gradient in the backward pass.
 * <pre>
 * forward    o = H(z) = 1 if z &gt; 0 else 0          (in z's float dtype; H(0) = 0, H(NaN) = 0)
 * backward   dL/dz := dL/do · γ·max(0, 1 − |z|)     (γ = 0.3 by default)
 * </pre>
 * The backward rule is <b>not</b> the derivative of the forward: H′(z) = 0 for every z ≠ 0 (and is
 * undefined at 0), so the true gradient would stop all learning upstream of a spike. The rule
 * replaces it by a triangle of height γ and half-width 1 around the threshold (z = 0 is the
 * membrane potential at threshold), so a neuron whose potential is near its threshold passes
 * gradient whether it fired or not. This is the one primitive whose rule is a modelling choice
 * rather than calculus; it is therefore tested against its formula, not by finite differences
 * (which give 0).
 *
 * <p>The triangle and the dampening factor γ = 0.3 are those of Bellec, Salaj, Subramoney,
 * Legenstein, Maass 2018, "Long short-term memory and learning-to-learn in networks of spiking
 * neurons" (NeurIPS 2018, arXiv:1803.09574), as used by Chowdhury, Rathi, Roy 2021, "One
 * Timestep is All You Need: Training Spiking Neural Networks with Ultra Low Latency"
 * (arXiv:2110.05929), whose reference code ({@code LinearSpike}) computes
 * {@code γ·threshold(1 − |z|, 0, 0)}.
 *
 * <pre>{@code
 * Tensor o = Spike.apply(u.div(vth).sub(1.0), Spike.GAMMA);   // 0/1 spikes, surrogate backward
 * }</pre>
 */
public final class Spike {
  private Spike() {}

  /** The default dampening factor γ of the surrogate (Bellec et al. 2018). */
  public static final double GAMMA = 0.3;

  public static final Kernel.Unary KERNEL = Kernel.unary("spike", (a, s) -> a > 0 ? 1.0 : 0.0, "a > 0 ? 1 : 0");

  /** The surrogate derivative γ·max(0, 1 − |z|), elementwise, as Tensor code (so it runs on every backend). */
  public static Tensor surrogate(Tensor z, double gamma) {
    return z.abs().rsub(1.0).relu().mul(gamma);
  }

  /** H(z) forward, dL/dz = dL/do · γ·max(0, 1 − |z|) backward. */
  public static Tensor apply(Tensor z, double gamma) {
    if (!(gamma >= 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("spike: the surrogate's γ must be finite and ≥ 0, got " + gamma);
    }
    BackwardRule rule = (go, o, in) -> new Tensor[] {go.mul(surrogate(in[0], gamma))};
    return Elementwise.unary(KERNEL, z, gamma, rule);
  }
}
