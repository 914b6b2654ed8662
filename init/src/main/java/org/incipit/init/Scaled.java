package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * {@code base} with every value multiplied by {@code factor} (GPT-2's 1/√(2L) residual scaling,
 * Fixup's L^(−1/(2m−2))): a record, so reports and lint rules can see both the base scheme and the
 * factor. Made by {@link Initializer#scaled}.
 */
public record Scaled(Initializer base, double factor) implements Initializer {
  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    return base.create(shape, fans, rng).mul(factor);
  }

  @Override
  public Expected expected(Shape shape, Fans fans) {
    return base.expected(shape, fans).times(factor);
  }

  @Override
  public String toString() {
    return base + " × " + factor;
  }
}
