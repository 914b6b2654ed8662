package org.incipit.nn.layers;

import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Tensor;
import org.incipit.init.Fans;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** 1-D convolution of (N, C, L) with a weight [out, in/groups, k]; PyTorch's default initialization. */
public final class Conv1d extends Layer {
  private final Parameter weight;
  private final Parameter bias;
  private final int stride;
  private final int padding;
  private final int groups;

  public Conv1d(int in, int out, int kernel, int stride, int padding, Rng rng) {
    this(in, out, kernel, stride, padding, 1, true, Initializers.pytorchDefaultWeight(),
        Initializers.pytorchDefaultBias(), rng);
  }

  public Conv1d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias,
                Initializer weightInit, Initializer biasInit, Rng rng) {
    if (groups < 1 || in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException("conv1d: groups=" + groups + " must divide in=" + in + " and out=" + out);
    }
    this.stride = stride;
    this.padding = padding;
    this.groups = groups;
    Shape w = Shape.of(out, in / groups, kernel);
    this.weight = param("weight", w, weightInit, Fans.of(w), rng);
    this.bias = bias ? param("bias", Shape.of(out), biasInit, Fans.of(w), rng) : null;
  }

  @Override
  protected Tensor compute(Tensor x) {
    return Convolutions.conv1d(x, weight.value(), bias == null ? null : bias.value(), stride, padding, groups);
  }

  /** The number of groups (1 for a dense convolution, in for a depthwise one). */
  public int groups() {
    return groups;
  }

  public Parameter weight() {
    return weight;
  }
}
