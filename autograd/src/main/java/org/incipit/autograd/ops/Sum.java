package org.incipit.autograd.ops;

import java.util.Arrays;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;

/**
 * Sum over a set of axes (all axes when the set is empty). Accumulates in double on every backend.
 * Integer and boolean inputs sum to I64.
 * <pre>y = Σ_{axes} x,   dx = dy broadcast back over the summed axes</pre>
 */
public final class Sum {
  private Sum() {}

  public static Tensor apply(Tensor x, int[] dims, boolean keepDims) {
    boolean[] reduced = axes(x.shape(), dims);
    Tensor c = (x.dtype().isFloating() ? x : x.cast(DType.I64)).contiguous();
    Backend be = c.backend();
    Buffer buf = c.buffer();
    int[] shape = x.shape().dims();
    // Reduce runs of adjacent axes in one pass each, from the last axis to the first.
    for (int a = shape.length - 1; a >= 0; a--) {
      if (!reduced[a]) {
        continue;
      }
      int start = a;
      while (start > 0 && reduced[start - 1]) {
        start--;
      }
      int outer = numel(shape, 0, start);
      int n = numel(shape, start, a + 1);
      int inner = numel(shape, a + 1, shape.length);
      buf = be.reduce(Backend.Reduction.SUM, buf, outer, n, inner);
      for (int i = start; i <= a; i++) {
        shape[i] = 1;
      }
      a = start;
    }
    Shape kept = Shape.of(shape);
    Shape out = keepDims ? kept : dropped(x.shape(), reduced);
    Shape inShape = x.shape();
    return Tensor.record("sum", buf, out,
        (gy, y, in) -> new Tensor[] {gy.reshape(kept.dims()).expand(inShape)}, c);
  }

  /** Marks the reduced axes; an empty list means all. Repeated axes are an error. */
  static boolean[] axes(Shape shape, int[] dims) {
    boolean[] r = new boolean[shape.rank()];
    if (dims.length == 0) {
      Arrays.fill(r, true);
      return r;
    }
    for (int d : dims) {
      int a = shape.axis(d);
      if (r[a]) {
        throw new IllegalArgumentException("sum: dimension " + d + " repeated in " + Arrays.toString(dims));
      }
      r[a] = true;
    }
    return r;
  }

  static Shape dropped(Shape shape, boolean[] reduced) {
    int[] d = new int[shape.rank()];
    int k = 0;
    for (int i = 0; i < shape.rank(); i++) {
      if (!reduced[i]) {
        d[k++] = shape.dim(i);
      }
    }
    return Shape.of(Arrays.copyOf(d, k));
  }

  private static int numel(int[] shape, int from, int to) {
    int n = 1;
    for (int i = from; i < to; i++) {
      n *= shape[i];
    }
    return n;
  }
}
