package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * An initializer is a value: a function (shape, fans, rng) → tensor. The fans are passed
 * separately from the shape because a bias is initialized from its layer's weight fans.
 *
 * <p>Implementations draw on the host in double precision from {@code rng} and return an F32 CPU
 * tensor, so the same seed gives the same parameters on every device. Most are records, so two
 * initializers with the same parameters are equal and print their scheme and parameters (init
 * provenance).
 */
@FunctionalInterface
public interface Initializer {
  Tensor create(Shape shape, Fans fans, Rng rng);

  /**
   * What this initializer promises for a tensor of {@code shape} with {@code fans} (gain, mean, std,
   * bound), without drawing it; {@link Expected#UNKNOWN} unless the scheme states it. Init reports
   * print it beside the measured std.
   */
  default Expected expected(Shape shape, Fans fans) {
    return Expected.UNKNOWN;
  }

  /** This initializer with every value multiplied by {@code factor} (a {@link Scaled}). */
  default Initializer scaled(double factor) {
    return new Scaled(this, factor);
  }
}
