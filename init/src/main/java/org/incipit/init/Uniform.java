package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** U(low, high): mean (low + high)/2, variance (high − low)²/12. */
public record Uniform(double low, double high) implements Initializer {
  public Uniform {
    if (!(high >= low)) {
      throw new IllegalArgumentException("uniform: high " + high + " is below low " + low);
    }
  }

  /** U(−bound, bound). */
  public static Uniform symmetric(double bound) {
    return new Uniform(-bound, bound);
  }

  @Override
  public Expected expected(Shape shape, Fans fans) {
    return Expected.uniform(low, high);
  }

  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    return Tensors.of(DType.F32, rng.uniform(shape.numel(), low, high), shape.dims());
  }
}
