package org.incipit.nn;

import java.util.List;
import org.incipit.autograd.Tensor;

/**
 * Layers applied in order, registered as children "0", "1", …. Build layer i with
 * {@code rng.fork(String.valueOf(i))} to follow the path-based randomness convention.
 */
public final class Sequential extends Layer {
  private final List<Layer> layers;

  public Sequential(Layer... layers) {
    this.layers = List.of(layers);
    for (int i = 0; i < layers.length; i++) {
      child(String.valueOf(i), layers[i]);
    }
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = x;
    for (Layer l : layers) {
      h = l.forward(h);
    }
    return h;
  }

  public List<Layer> layers() {
    return layers;
  }
}
