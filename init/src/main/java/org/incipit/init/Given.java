package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * Values a data-driven scheme computed (PiSSA's singular vectors, EVA's principal directions,
 * WECHSEL's embedding rows), recorded as the parameter's initializer under the scheme's name, so
 * init reports say where the values came from and a reset restores them instead of drawing a
 * generic scheme over them. Uses no randomness.
 */
public record Given(String scheme, Tensor values) implements Initializer {
  public Given {
    if (scheme == null || scheme.isBlank()) {
      throw new IllegalArgumentException("given values need the name of the scheme that computed them");
    }
    values = values.detach().cast(DType.F32).to(Device.cpu()).detach();
  }

  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    if (!shape.equals(values.shape())) {
      throw new IllegalArgumentException(scheme + ": given values of shape " + values.shape()
          + " cannot initialize a tensor of shape " + shape);
    }
    return values;
  }

  @Override
  public String toString() {
    return scheme;
  }
}
