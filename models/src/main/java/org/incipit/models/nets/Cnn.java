package org.incipit.models.nets;

import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Conv2d;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.layers.Pool2d;
import org.incipit.tensor.Rng;

/**
 * A small CNN for 8×8 digits: two 3×3 convolutions (same padding) with ReLU and 2×2 max pooling
 * (or average pooling: {@link #withAveragePooling}, the ANN an SNN is converted from), then a
 * linear classifier. PyTorch's default initialization.
 * <pre>(N,1,8,8) → conv 16 → (N,16,8,8) → pool → (N,16,4,4) → conv 32 → pool → (N,32,2,2) → (N,128) → (N,10)</pre>
 */
public final class Cnn extends Layer implements org.incipit.nn.Nonlinear {
  private final Conv2d conv1;
  private final Conv2d conv2;
  private final Pool2d pool;
  private final boolean average;
  private final Linear head;

  /** With 2×2 max pooling. */
  public Cnn(int channels, int classes, Rng rng) {
    this(channels, classes, false, rng);
  }

  private Cnn(int channels, int classes, boolean average, Rng rng) {
    this.average = average;
    this.pool = average ? Pool2d.avg(2, 2) : Pool2d.max(2, 2);
    this.conv1 = child("conv1", new Conv2d(channels, 16, 3, 1, 1, rng.fork("conv1")));
    this.conv2 = child("conv2", new Conv2d(16, 32, 3, 1, 1, rng.fork("conv2")));
    this.head = child("head", new Linear(32 * 2 * 2, classes, rng.fork("head")));
  }

  /** With 2×2 average pooling (ReLU then average: what a spiking network's rates can represent). */
  public static Cnn withAveragePooling(int channels, int classes, Rng rng) {
    return new Cnn(channels, classes, true, rng);
  }

  /** True when the pooling is average pooling. */
  public boolean averagePooling() {
    return average;
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = pool.forward(conv1.forward(x).relu()); // (N, 16, 4, 4)
    h = pool.forward(conv2.forward(h).relu());        // (N, 32, 2, 2)
    return head.forward(h.reshape(h.size(0), -1));     // (N, classes)
  }

  /** ReLU between the layers. */
  @Override
  public String nonlinearity() {
    return "relu";
  }
}
