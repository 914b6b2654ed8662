package org.incipit.models.nets;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.snn.Conversion;
import org.incipit.nn.snn.Lif;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A spiking multilayer perceptron run for T timesteps: Linear → LIF → … → Linear, with direct
 * input encoding and an accumulating output layer (IIR-SNN, Chowdhury, Rathi, Roy 2021,
 * arXiv:2110.05929). Layers are named {@code fc0, lif0, fc1, lif1, …, fc(L−1)}, so an {@link Mlp}
 * of the same widths has exactly the synapse paths ({@link #fromAnn}).
 * <pre>
 * I⁰_t = W₀x + b₀                      for every t (direct encoding: the analog input at every step)
 * o^l = LIF_l(I^l_1 … I^l_T)           spikes (T, N, w_{l+1})
 * I^{l+1}_t = W_{l+1}·o^l_t + b_{l+1}
 * out = Σ_t (W_{L−1}·o_t + b_{L−1})    no leak, spike or division by T
 * </pre>
 * All steps of a layer are computed at once: a Linear sees (T, N, w), only the LIF recursion is
 * sequential; backpropagation through time comes from the tape.
 *
 * <pre>{@code
 * SpikingMlp snn = new SpikingMlp(new int[] {64, 128, 10}, 5, Lif.Options.defaults().withThreshold(0.5), rng);
 * Tensor logits = snn.forward(x);   // (N, 64) → (N, 10)
 * }</pre>
 */
public final class SpikingMlp extends Layer implements org.incipit.nn.snn.Timestepped {
  private final List<Linear> synapses = new ArrayList<>();
  private final List<Lif> neurons = new ArrayList<>();
  private int timesteps;

  /** Widths [in, hidden…, out] (at least one hidden layer); PyTorch's default Linear initialization. */
  public SpikingMlp(int[] widths, int timesteps, Lif.Options options, Rng rng) {
    if (widths.length < 3) {
      throw new IllegalArgumentException("spiking mlp: needs an input, at least one hidden and an output width, got "
          + java.util.Arrays.toString(widths));
    }
    setTimesteps(timesteps);
    for (int i = 0; i + 1 < widths.length; i++) {
      String name = "fc" + i;
      synapses.add(child(name, new Linear(widths[i], widths[i + 1], rng.fork(name))));
      if (i + 2 < widths.length) {
        neurons.add(child("lif" + i, new Lif(Shape.of(widths[i + 1]), options)));
      }
    }
  }

  /**
   * ANN → SNN: a spiking copy of a trained ReLU {@code ann} (weights and biases copied), thresholds
   * set by {@link Conversion#setThresholds} on {@code batch} at the p-th percentile, leaks 1.
   */
  public static SpikingMlp fromAnn(Mlp ann, int timesteps, Lif.Options options, Tensor batch, double percentile) {
    List<Linear> layers = ann.layers();
    int[] widths = new int[layers.size() + 1];
    widths[0] = layers.get(0).inFeatures();
    for (int i = 0; i < layers.size(); i++) {
      widths[i + 1] = layers.get(i).outFeatures();
    }
    SpikingMlp snn = new SpikingMlp(widths, timesteps, options, Rng.seeded(0));
    Conversion.copyWeights(ann, snn);
    Conversion.setThresholds(snn, batch, percentile);
    return snn;
  }

  @Override
  protected Tensor compute(Tensor x) {
    int n = x.size(0);
    Tensor current = synapses.get(0).forward(x);                              // (N, w1)
    Tensor h = current.unsqueeze(0).expand(timesteps, n, current.size(1));     // (T, N, w1), direct encoding
    for (int l = 0; l < neurons.size(); l++) {
      h = neurons.get(l).forward(h);                                           // (T, N, w_{l+1}) spikes
      h = synapses.get(l + 1).forward(h);                                      // (T, N, w_{l+2}) currents
    }
    return h.sum(0);                                                           // (N, out) = Σ_t (W·o_t + b)
  }

  public int timesteps() {
    return timesteps;
  }

  /** The number of steps T of the next forward (IIR-SNN lowers it stage by stage: 5 → 4 → … → 1). */
  public void setTimesteps(int t) {
    if (t < 1) {
      throw new IllegalArgumentException("spiking mlp: timesteps must be ≥ 1, got " + t);
    }
    this.timesteps = t;
  }

  public List<Linear> synapses() {
    return List.copyOf(synapses);
  }

  public List<Lif> neurons() {
    return List.copyOf(neurons);
  }
}
