package org.incipit.models.nets;

import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Conv2d;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.layers.Pool2d;
import org.incipit.tensor.Rng;

/**
 * A small CNN for 8×8 digits: two 3×3 convolutions (same padding) with ReLU and 2×2 max pooling,
 * then a linear classifier. PyTorch's default initialization.
 * <pre>(N,1,8,8) → conv 16 → (N,16,8,8) → pool → (N,16,4,4) → conv 32 → pool → (N,32,2,2) → (N,128) → (N,10)</pre>
 */
public final class Cnn extends Layer {
  private final Conv2d conv1;
  private final Conv2d conv2;
  private final Pool2d pool = Pool2d.max(2, 2);
  private final Linear head;

  public Cnn(int channels, int classes, Rng rng) {
    this.conv1 = child("conv1", new Conv2d(channels, 16, 3, 1, 1, rng.fork("conv1")));
    this.conv2 = child("conv2", new Conv2d(16, 32, 3, 1, 1, rng.fork("conv2")));
    this.head = child("head", new Linear(32 * 2 * 2, classes, rng.fork("head")));
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = pool.forward(conv1.forward(x).relu()); // (N, 16, 4, 4)
    h = pool.forward(conv2.forward(h).relu());        // (N, 32, 2, 2)
    return head.forward(h.reshape(h.size(0), -1));     // (N, classes)
  }
}
