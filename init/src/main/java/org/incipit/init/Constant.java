package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** Every value equal to {@code value} (zeros, ones, LayerNorm's γ = 1 and β = 0). Uses no randomness. */
public record Constant(double value) implements Initializer {
  @Override
  public Expected expected(Shape shape, Fans fans) {
    return new Expected(Double.NaN, value, 0, Math.abs(value));
  }

  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    return Tensors.full(shape, value, DType.F32, Device.cpu());
  }
}
