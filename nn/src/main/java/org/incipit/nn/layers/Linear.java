package org.incipit.nn.layers;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.ops.BiasActivation;
import org.incipit.init.Fans;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * y = x Wᵀ + b with W of shape [out, in] (PyTorch's layout; the transpose is a view the GEMM reads
 * directly; the bias is added by the fused "bias_act" kernel where the backend has it, with the same
 * values as {@code add}). Defaults as PyTorch: W ~ kaiming_uniform(a = √5) = U(±1/√in), b ~ U(±1/√in).
 */
public final class Linear extends Layer {
  private final Parameter weight;
  private final Parameter bias;
  private final int in;
  private final int out;

  /** PyTorch's default initialization, with a bias. */
  public Linear(int in, int out, Rng rng) {
    this(in, out, true, Initializers.pytorchDefaultWeight(), Initializers.pytorchDefaultBias(), rng);
  }

  /** Explicit initializers; the bias initializer receives the weight's fans. */
  public Linear(int in, int out, boolean bias, Initializer weightInit, Initializer biasInit, Rng rng) {
    this.in = in;
    this.out = out;
    Shape w = Shape.of(out, in);
    this.weight = param("weight", w, weightInit, Fans.of(w), rng);
    this.bias = bias ? param("bias", Shape.of(out), biasInit, Fans.of(w), rng) : null;
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor y = x.matmul(weight.value().transpose(0, 1)); // (…, out)
    if (bias == null) {
      return y;
    }
    Tensor b = bias.value(); // (out)
    return BiasActivation.fusable(y, b) ? BiasActivation.apply(y, b, "identity") : y.add(b); // the same values
  }

  public Parameter weight() {
    return weight;
  }

  /** The bias, or null. */
  public Parameter bias() {
    return bias;
  }

  public int inFeatures() {
    return in;
  }

  public int outFeatures() {
    return out;
  }
}
