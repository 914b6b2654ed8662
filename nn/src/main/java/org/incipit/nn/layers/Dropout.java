package org.incipit.nn.layers;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Layer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * Inverted dropout: in training, each element is kept with probability 1 − p and scaled by
 * 1/(1 − p); in evaluation it is the identity.
 *
 * <p>Masks come from the layer's own stream: call k of {@link #forward} uses {@code rng.fork(k)},
 * so a seed fixes every mask on every device and thread count, as long as the calls happen in the
 * same order. Use {@link #apply(Tensor, double, Rng)} to pass the stream explicitly.
 */
public final class Dropout extends Layer {
  private final double p;
  private final Rng rng;
  private long calls;

  public Dropout(double p, Rng rng) {
    if (p < 0 || p >= 1) {
      throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
    }
    this.p = p;
    this.rng = rng;
  }

  @Override
  protected Tensor compute(Tensor x) {
    if (!isTraining() || p == 0) {
      return x;
    }
    return apply(x, p, rng.fork(calls++));
  }

  /** Dropout of {@code x} with the mask drawn from {@code rng}. */
  public static Tensor apply(Tensor x, double p, Rng rng) {
    double[] u = rng.uniform(x.numel());
    double scale = 1 / (1 - p);
    for (int i = 0; i < u.length; i++) {
      u[i] = u[i] >= p ? scale : 0;
    }
    Tensor mask = Tensors.of(x.dtype().isFloating() ? x.dtype() : DType.F32, u, x.shape(), x.device());
    return x.mul(mask);
  }
}
