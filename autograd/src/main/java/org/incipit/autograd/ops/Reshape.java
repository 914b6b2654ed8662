package org.incipit.autograd.ops;

import java.util.Arrays;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Layout;
import org.incipit.tensor.Shape;

/**
 * The same elements in row-major order with another shape; one dimension may be −1 (inferred).
 * A view when the strides allow, a copy otherwise. <pre>y = x viewed as shape,   dx = dy reshaped back</pre>
 */
public final class Reshape {
  private Reshape() {}

  public static Tensor apply(Tensor x, int... dims) {
    Shape target = resolve(x.shape(), dims);
    if (target.equals(x.shape())) {
      return x;
    }
    Shape inShape = x.shape();
    Layout view = x.layout().reshapeView(target);
    Tensor base = x;
    if (view == null) {
      base = x.contiguous();
      view = Layout.contiguous(target);
    }
    return Tensor.record("reshape", base.buffer(), view, (gy, y, in) -> new Tensor[] {gy.reshape(inShape.dims())}, base);
  }

  /** The target shape with any −1 inferred; the element counts must agree. */
  static Shape resolve(Shape from, int[] dims) {
    int infer = -1;
    long known = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("reshape: only one dimension can be -1 in " + Arrays.toString(dims));
        }
        infer = i;
      } else if (dims[i] < 0) {
        throw new IllegalArgumentException("reshape: invalid dimension " + dims[i] + " in " + Arrays.toString(dims));
      } else {
        known *= dims[i];
      }
    }
    int[] out = dims.clone();
    if (infer >= 0) {
      if (known == 0 || from.numel() % known != 0) {
        throw new IllegalArgumentException("reshape: cannot infer -1 in " + Arrays.toString(dims) + " for shape "
            + from + " (" + from.numel() + " elements)");
      }
      out[infer] = (int) (from.numel() / known);
      known *= out[infer];
    }
    if (known != from.numel()) {
      throw new IllegalArgumentException("reshape: element count differs: shape " + from + " has " + from.numel()
          + " elements, " + Arrays.toString(dims) + " has " + known);
    }
    return Shape.of(out);
  }
}
