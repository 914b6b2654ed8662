package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.Layout;
import org.incipit.tensor.Shape;

/**
 * The adjoint of {@link Slice}: a zero tensor of {@code shape} with {@code src} written at
 * positions start, start+step, … along {@code dim}. Also the building block of zero padding.
 * <pre>y = 0 with y[start::step] = src,   dsrc = dy[start::step]</pre>
 */
public final class SliceScatter {
  private SliceScatter() {}

  public static Tensor apply(Tensor src, Shape shape, int dim, int start, int step) {
    int axis = shape.axis(dim);
    int len = src.size(axis);
    if (!src.shape().equals(shape.with(axis, len)) || start < 0 || step <= 0
        || (len > 0 && start + (long) (len - 1) * step >= shape.dim(axis))) {
      throw new IllegalArgumentException("slice_scatter: source " + src.shape() + " does not fit " + shape
          + " at dimension " + axis + " from " + start + " with step " + step);
    }
    Layout target = Layout.contiguous(shape).slice(axis, start, start + (len - 1) * step + 1, step);
    Tensor c = src.contiguous();
    Buffer out = c.backend().zeros(src.dtype(), shape.numel());
    c.backend().scatterStrided(out, target, c.buffer());
    int end = start + (len - 1) * step + 1;
    return Tensor.record("slice_scatter", out, shape,
        (gy, y, in) -> new Tensor[] {gy.slice(axis, start, end, step)}, src);
  }

  /** {@code x} with {@code before} zeros before and {@code after} zeros after along {@code dim}. */
  public static Tensor pad(Tensor x, int dim, int before, int after) {
    if (before == 0 && after == 0) {
      return x;
    }
    int axis = x.shape().axis(dim);
    return apply(x, x.shape().with(axis, x.size(axis) + before + after), axis, before, 1);
  }
}
