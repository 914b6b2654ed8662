package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Layout;

/**
 * {@code x[..., start:end:step, ...]} along one axis, as a view; start and end follow Python
 * (negative counts from the end, out-of-range values clamp), step is positive.
 * <pre>y = x[start:end:step],   dx = dy placed at those positions of a zero tensor ({@link SliceScatter})</pre>
 */
public final class Slice {
  private Slice() {}

  public static Tensor apply(Tensor x, int dim, int start, int end, int step) {
    int axis = x.shape().axis(dim);
    Layout view = x.layout().slice(axis, start, end, step);
    int n = x.size(axis);
    int first = Math.max(0, Math.min(n, start < 0 ? start + n : start));
    var inShape = x.shape();
    return Tensor.record("slice", x.buffer(), view,
        (gy, y, in) -> new Tensor[] {SliceScatter.apply(gy, inShape, axis, first, step)}, x);
  }
}
