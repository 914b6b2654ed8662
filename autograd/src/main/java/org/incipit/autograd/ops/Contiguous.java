package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;

/**
 * A row-major copy of a strided view (the identity on values). <pre>y = x,   dy/dx = 1</pre>
 * Returns its input when that is already contiguous from offset 0.
 */
public final class Contiguous {
  private Contiguous() {}

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy};

  public static Tensor apply(Tensor x) {
    if (x.isContiguous()) {
      return x;
    }
    return Tensor.record("contiguous", x.backend().copyStrided(x.buffer(), x.layout()), x.shape(), RULE, x);
  }
}
