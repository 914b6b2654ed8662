package org.incipit.nn.snn;

import java.util.List;
import java.util.function.UnaryOperator;
import org.incipit.autograd.Functional;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.autograd.ops.Spike;
import org.incipit.init.Fans;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A layer of leaky integrate-and-fire (LIF) neurons with soft reset, run over T timesteps. The input
 * is the synaptic current of every step, time-major (T, N, …neurons); the output is the spikes
 * (T, N, …neurons), 0 or 1 in the current's dtype. With U₀ = 0, for t = 1 … T:
 * <pre>
 * U ← λ·U + I_t              integrate (leak λ ≤ 1; λ = 1 is integrate-and-fire)
 * z = U / V_th − 1           distance to the threshold, in units of the threshold
 * o_t = H(z)                 spike; backward: the surrogate γ·max(0, 1 − |z|) ({@link Spike})
 * U ← U − V_th·H(z)          soft reset: subtract the threshold, keep the excess
 * </pre>
 * λ (parameter {@code leak}) and V_th ({@code threshold}) are trainable: one scalar each for the
 * layer, or one per neuron ({@link Options#perNeuron}). The time loop is plain Tensor code, so
 * backpropagation through time comes from the tape: gradients reach I, λ and V_th through every
 * step; V_th through z (surrogate) and through the reset. The reset's H(z) is a constant of the
 * tape (no surrogate through it), as in the reference code's {@code rst = threshold·(mem_thr > 0)}.
 *
 * <p><b>λ ≤ 1.</b> The leak is projected onto λ ≤ 1 <em>after each optimizer step</em> by
 * {@link #clampLeak()} (or {@link #clampLeaks(Module)} for a whole network), as the reference
 * training loop does ({@code leak.data.clamp_(max=1.0)} after {@code optimizer.step()}). The
 * forward uses λ as stored, so its gradient is the plain one; with {@code TrainLoop} pass
 * {@code (step, loss) -> Lif.clampLeaks(model)} as the listener, which runs after every step.
 *
 * <p>Chowdhury, Rathi, Roy 2021, "One Timestep is All You Need: Training Spiking Neural Networks
 * with Ultra Low Latency", arXiv:2110.05929 (IIR-SNN; code SayeedChowdhury/IIR-SNN). Surrogate:
 * Bellec et al. 2018, arXiv:1803.09574.
 *
 * <pre>{@code
 * Lif lif = new Lif(Shape.of(128), Lif.Options.defaults().withThreshold(0.5));
 * Tensor spikes = lif.forward(currents);   // (T, N, 128) → (T, N, 128)
 * }</pre>
 */
public final class Lif extends Layer {
  /** Constants draw nothing; the stream only satisfies {@link Module#param}. */
  private static final Rng UNUSED = Rng.seeded(0);

  /**
   * How a LIF layer is built.
   *
   * @param leak the initial λ, in (−∞, 1] (1: integrate-and-fire, the paper's start)
   * @param threshold the initial V_th, &gt; 0
   * @param perNeuron one λ and V_th per neuron instead of one per layer
   * @param spike the spike function of z: {@code Functional.spike(z, γ)}; a smooth replacement
   *     turns the layer into a differentiable function, which is how its gradients are checked
   */
  public record Options(double leak, double threshold, boolean perNeuron, UnaryOperator<Tensor> spike) {
    public Options {
      if (!(leak <= 1.0) || !(threshold > 0) || Double.isInfinite(threshold) || Double.isInfinite(leak)) {
        throw new IllegalArgumentException("lif: need a finite leak ≤ 1 and threshold > 0, got leak " + leak
            + ", threshold " + threshold);
      }
      if (spike == null) {
        throw new IllegalArgumentException("lif: the spike function is missing");
      }
    }

    /** λ = 1, V_th = 1, one of each per layer, γ = 0.3. */
    public static Options defaults() {
      return new Options(1.0, 1.0, false, z -> Functional.spike(z, Spike.GAMMA));
    }

    public Options withLeak(double v) {
      return new Options(v, threshold, perNeuron, spike);
    }

    public Options withThreshold(double v) {
      return new Options(leak, v, perNeuron, spike);
    }

    public Options withPerNeuron(boolean v) {
      return new Options(leak, threshold, v, spike);
    }

    /** The surrogate {@code Functional.spike(z, gamma)}. */
    public Options withGamma(double gamma) {
      return new Options(leak, threshold, perNeuron, z -> Functional.spike(z, gamma));
    }

    public Options withSpike(UnaryOperator<Tensor> f) {
      return new Options(leak, threshold, perNeuron, f);
    }
  }

  private final Shape neurons;
  private final Parameter leak;
  private final Parameter threshold;
  private final UnaryOperator<Tensor> spike;

  /** Neurons of shape {@code neurons} (e.g. (128) after a Linear, (C, H, W) after a Conv2d). */
  public Lif(Shape neurons, Options o) {
    this.neurons = neurons;
    this.spike = o.spike();
    Shape s = o.perNeuron() ? neurons : Shape.scalar();
    Fans fans = new Fans(1, 1);
    this.leak = param("leak", s, Initializers.constant(o.leak()), fans, UNUSED);
    this.threshold = param("threshold", s, Initializers.constant(o.threshold()), fans, UNUSED);
  }

  @Override
  protected Tensor compute(Tensor currents) {
    checkShape(currents);
    int steps = currents.size(0);
    Tensor lambda = leak.value();
    Tensor vth = threshold.value();
    Tensor u = null;
    Tensor[] spikes = new Tensor[steps];
    for (int t = 0; t < steps; t++) {
      Tensor i = currents.select(0, t);               // (N, …neurons)
      u = t == 0 ? i : u.mul(lambda).add(i);          // U ← λ·U + I_t (U₀ = 0)
      Tensor z = u.div(vth).sub(1.0);                  // (N, …neurons)
      spikes[t] = spike.apply(z);
      Tensor fired = z.gt(0.0).cast(u.dtype());        // H(z) as a constant
      u = u.sub(fired.mul(vth));                       // soft reset
    }
    return Tensors.stack(0, spikes);                   // (T, N, …neurons)
  }

  private void checkShape(Tensor currents) {
    int r = neurons.rank();
    boolean ok = currents.rank() == r + 2 && currents.size(0) >= 1;
    for (int d = 0; ok && d < r; d++) {
      ok = currents.size(2 + d) == neurons.dim(d);
    }
    if (!ok) {
      throw new IllegalArgumentException("lif: expected currents (T, N, " + neurons + ") with T ≥ 1, got "
          + currents.shape());
    }
  }

  /** λ: a scalar, or one per neuron. */
  public Parameter leak() {
    return leak;
  }

  /** V_th: a scalar, or one per neuron. */
  public Parameter threshold() {
    return threshold;
  }

  /** The shape of one sample's neurons. */
  public Shape neurons() {
    return neurons;
  }

  /** Sets every λ to {@code value} (≤ 1), recorded as the leak's initializer (provenance). */
  public void setLeak(double value) {
    if (!(value <= 1.0)) {
      throw new IllegalArgumentException("lif: the leak must be ≤ 1, got " + value);
    }
    leak.reinitialize(Initializers.constant(value), UNUSED);
  }

  /** Sets every V_th to {@code value} (&gt; 0), recorded as the threshold's initializer (provenance). */
  public void setThreshold(double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("lif: the threshold must be finite and > 0, got " + value);
    }
    threshold.reinitialize(Initializers.constant(value), UNUSED);
  }

  /** The projection λ ← min(λ, 1); call it after every optimizer step. */
  public void clampLeak() {
    Tensor v = leak.value();
    leak.assign(NoGrad.run(() -> v.minimum(v.constant(1.0))));
  }

  /** {@link #clampLeak()} on every LIF layer of {@code model}; returns how many there were. */
  public static int clampLeaks(Module model) {
    List<Lif> layers = Conversion.lifLayers(model);
    layers.forEach(Lif::clampLeak);
    return layers.size();
  }
}
