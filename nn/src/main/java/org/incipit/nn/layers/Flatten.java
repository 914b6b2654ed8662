package org.incipit.nn.layers;

import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;

/** (N, d₁, d₂, …) → (N, d₁·d₂·…). */
public final class Flatten extends Layer {
  @Override
  protected Tensor compute(Tensor x) {
    return x.reshape(x.size(0), -1);
  }
}
