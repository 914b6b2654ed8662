package org.incipit.nn.layers;

import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;

/** Max or average pooling over k×k windows (no padding). */
public final class Pool2d extends Layer {
  private final boolean max;
  private final int kernel;
  private final int stride;

  private Pool2d(boolean max, int kernel, int stride) {
    this.max = max;
    this.kernel = kernel;
    this.stride = stride;
  }

  /** MaxPool2d(kernel, stride). */
  public static Pool2d max(int kernel, int stride) {
    return new Pool2d(true, kernel, stride);
  }

  /** AvgPool2d(kernel, stride). */
  public static Pool2d avg(int kernel, int stride) {
    return new Pool2d(false, kernel, stride);
  }

  @Override
  protected Tensor compute(Tensor x) {
    return max ? Convolutions.maxPool2d(x, kernel, stride) : Convolutions.avgPool2d(x, kernel, stride);
  }
}
