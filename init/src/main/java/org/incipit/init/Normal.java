package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** N(mean, std²), untruncated (GPT-2's N(0, 0.02²), Embedding's N(0, 1)). */
public record Normal(double mean, double std) implements Initializer {
  public Normal {
    if (!(std >= 0)) {
      throw new IllegalArgumentException("normal: std must be non-negative, got " + std);
    }
  }

  @Override
  public Expected expected(Shape shape, Fans fans) {
    return new Expected(Double.NaN, mean, std, Double.POSITIVE_INFINITY);
  }

  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    return Tensors.of(DType.F32, rng.normal(shape.numel(), mean, std), shape.dims());
  }
}
