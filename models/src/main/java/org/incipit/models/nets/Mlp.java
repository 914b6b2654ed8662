package org.incipit.models.nets;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Nonlinear;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;

/**
 * A multilayer perceptron: Linear → activation → … → Linear, layers named {@code fc0, fc1, …}.
 * The activation is applied after every layer but the last.
 *
 * <pre>{@code
 * Mlp net = new Mlp(new int[] {64, 128, 10}, Tensor::relu, Initializers.heNormal(), rng);
 * Tensor logits = net.forward(x);   // (N, 64) → (N, 10)
 * }</pre>
 */
public final class Mlp extends Layer implements Nonlinear {
  private final List<Linear> layers = new ArrayList<>();
  private final UnaryOperator<Tensor> activation;
  private final String nonlinearity;

  /** Widths [in, hidden…, out]; weights from {@code weightInit}, biases zero. */
  public Mlp(int[] widths, UnaryOperator<Tensor> activation, Initializer weightInit, Rng rng) {
    this(widths, activation, weightInit, Initializers.zeros(), rng);
  }

  public Mlp(int[] widths, UnaryOperator<Tensor> activation, Initializer weightInit, Initializer biasInit, Rng rng) {
    this(widths, new Activation("custom", activation), weightInit, biasInit, rng);
  }

  /** With a named activation ({@link Activation#relu()}, …), which tools such as {@code incipit lint} can read. */
  public Mlp(int[] widths, Activation activation, Initializer weightInit, Rng rng) {
    this(widths, activation, weightInit, Initializers.zeros(), rng);
  }

  public Mlp(int[] widths, Activation activation, Initializer weightInit, Initializer biasInit, Rng rng) {
    if (widths.length < 2) {
      throw new IllegalArgumentException("mlp: needs at least an input and an output width");
    }
    this.activation = activation::forward;
    this.nonlinearity = activation.name();
    for (int i = 0; i + 1 < widths.length; i++) {
      String name = "fc" + i;
      layers.add(child(name, new Linear(widths[i], widths[i + 1], true, weightInit, biasInit, rng.fork(name))));
    }
  }

  /** With PyTorch's default Linear initialization. */
  public static Mlp pytorchDefault(int[] widths, UnaryOperator<Tensor> activation, Rng rng) {
    return new Mlp(widths, activation, Initializers.pytorchDefaultWeight(), Initializers.pytorchDefaultBias(), rng);
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = x; // (N, in)
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).forward(h); // (N, widths[i+1])
      if (i + 1 < layers.size()) {
        h = activation.apply(h);
      }
    }
    return h;
  }

  /** The activation's name ("custom" for an unnamed function). */
  @Override
  public String nonlinearity() {
    return nonlinearity;
  }

  public List<Linear> layers() {
    return List.copyOf(layers);
  }
}
