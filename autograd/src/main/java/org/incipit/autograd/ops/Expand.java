package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Shape;

/**
 * A broadcast view (stride 0 on new and size-1 axes).
 * <pre>y = x broadcast to shape,   dx = Σ of dy over the broadcast axes</pre>
 * The rule returns dy unchanged: the engine's single un-broadcast step does the sum.
 */
public final class Expand {
  private Expand() {}

  static final BackwardRule RULE = (gy, y, in) -> new Tensor[] {gy};

  public static Tensor apply(Tensor x, Shape shape) {
    if (x.shape().equals(shape)) {
      return x;
    }
    return Tensor.record("expand", x.buffer(), x.layout().expand(shape), RULE, x);
  }
}
