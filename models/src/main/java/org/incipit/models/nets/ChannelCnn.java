package org.incipit.models.nets;

import java.util.Arrays;
import org.incipit.autograd.Tensor;
import org.incipit.init.PreCrop;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Conv2d;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.layers.Pool2d;
import org.incipit.tensor.Rng;

/**
 * A CNN for 8×8 digits whose three convolution widths are free, so that a channel-pruned
 * ({@link PreCrop}) copy is an ordinary smaller network. 3×3 convolutions with same padding, ReLU,
 * 2×2 max pooling after the second and third; PyTorch's default initialization.
 * <pre>(N,1,8,8) → conv C1 → conv C2 → pool → (N,C2,4,4) → conv C3 → pool → (N,C3,2,2) → (N,4·C3) → (N,10)</pre>
 */
public final class ChannelCnn extends Layer {
  private final int[] widths;
  private final Conv2d conv1;
  private final Conv2d conv2;
  private final Conv2d conv3;
  private final Pool2d pool = Pool2d.max(2, 2);
  private final Linear head;

  /** Widths {C1, C2, C3}; one input channel, {@code classes} outputs. */
  public ChannelCnn(int[] widths, int classes, Rng rng) {
    if (widths.length != 3 || Arrays.stream(widths).anyMatch(c -> c < 1)) {
      throw new IllegalArgumentException("ChannelCnn: needs three widths ≥ 1, got " + Arrays.toString(widths));
    }
    this.widths = widths.clone();
    this.conv1 = child("conv1", new Conv2d(1, widths[0], 3, 1, 1, rng.fork("conv1")));
    this.conv2 = child("conv2", new Conv2d(widths[0], widths[1], 3, 1, 1, rng.fork("conv2")));
    this.conv3 = child("conv3", new Conv2d(widths[1], widths[2], 3, 1, 1, rng.fork("conv3")));
    this.head = child("head", new Linear(4 * widths[2], classes, rng.fork("head")));
  }

  /** The layer chain for {@link PreCrop}: widths {1, C1, C2, C3, classes}, units {9, 9, 9, 4}, positions {64, 64, 16, 1}. */
  public PreCrop.Chain chain() {
    return new PreCrop.Chain(new int[] {1, widths[0], widths[1], widths[2], head.outFeatures()},
        new int[] {9, 9, 9, 4}, new int[] {64, 64, 16, 1});
  }

  public int[] widths() {
    return widths.clone();
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = conv1.forward(x).relu();              // (N, C1, 8, 8)
    h = pool.forward(conv2.forward(h).relu());       // (N, C2, 4, 4)
    h = pool.forward(conv3.forward(h).relu());       // (N, C3, 2, 2)
    return head.forward(h.reshape(h.size(0), -1));   // (N, classes)
  }
}
