package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.DType;

/**
 * Conversion to another dtype. Between F32 and F64 it is differentiable, with the gradient cast
 * back (<pre>dy/dx = 1</pre>); to or from integer and boolean types it takes no gradient. Float to
 * integer truncates toward zero.
 */
public final class Cast {
  private Cast() {}

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {in[0].dtype().isFloating() ? gy : null};

  public static Tensor apply(Tensor x, DType to) {
    if (x.dtype() == to) {
      return x;
    }
    Tensor c = x.contiguous();
    return Tensor.record("cast", c.backend().cast(c.buffer(), to), x.shape(), RULE, x);
  }
}
