package org.incipit.tensor;

import java.util.Arrays;

/**
 * Where the elements of a tensor live in its buffer: a shape, a stride per axis (in elements) and
 * an offset. Views — permute, expand, slice and most reshapes — are new layouts over the same
 * buffer; only {@link Backend#copyStrided} and {@link Backend#scatterStrided} ever read a layout.
 *
 * <p>A stride of 0 marks a broadcast (expanded) axis: several positions read the same element.
 */
public final class Layout {
  private final Shape shape;
  private final int[] strides;
  private final int offset;

  public Layout(Shape shape, int[] strides, int offset) {
    if (strides.length != shape.rank()) {
      throw new IllegalArgumentException(
          "layout: " + strides.length + " strides for shape " + shape + " of rank " + shape.rank());
    }
    this.shape = shape;
    this.strides = strides.clone();
    this.offset = offset;
  }

  /** The row-major layout of {@code shape} at offset 0. */
  public static Layout contiguous(Shape shape) {
    return new Layout(shape, shape.contiguousStrides(), 0);
  }

  public Shape shape() {
    return shape;
  }

  /** A copy of the strides. */
  public int[] strides() {
    return strides.clone();
  }

  public int stride(int axis) {
    return strides[shape.axis(axis)];
  }

  public int offset() {
    return offset;
  }

  /** True when the elements are stored row-major without gaps from {@link #offset()} on. */
  public boolean isContiguous() {
    int expected = 1;
    for (int i = shape.rank() - 1; i >= 0; i--) {
      int d = shape.dim(i);
      if (d != 1 && strides[i] != expected) {
        return false;
      }
      expected *= d;
    }
    return true;
  }

  /** True when this view reads all of a buffer of {@code bufferSize} elements in row-major order. */
  public boolean isWhole(int bufferSize) {
    return isContiguous() && offset == 0 && bufferSize == shape.numel();
  }

  /** Axes reordered: axis i of the result is axis {@code perm[i]} of this layout. */
  public Layout permute(int... perm) {
    int r = shape.rank();
    if (perm.length != r) {
      throw new IllegalArgumentException(
          "permute: " + Arrays.toString(perm) + " has " + perm.length + " axes, tensor " + shape + " has " + r);
    }
    int[] dims = new int[r];
    int[] st = new int[r];
    boolean[] seen = new boolean[r];
    for (int i = 0; i < r; i++) {
      int a = Shape.normalizeAxis(perm[i], r);
      if (seen[a]) {
        throw new IllegalArgumentException("permute: axis " + perm[i] + " repeated in " + Arrays.toString(perm));
      }
      seen[a] = true;
      dims[i] = shape.dim(a);
      st[i] = strides[a];
    }
    return new Layout(Shape.of(dims), st, offset);
  }

  /**
   * A broadcast view with shape {@code target}: new leading axes and axes of size 1 get stride 0.
   *
   * @throws IllegalArgumentException when this shape does not broadcast to {@code target}
   */
  public Layout expand(Shape target) {
    if (!shape.broadcastsTo(target)) {
      throw new IllegalArgumentException("expand: shape " + shape + " cannot be expanded to " + target);
    }
    int off = target.rank() - shape.rank();
    int[] st = new int[target.rank()];
    for (int i = 0; i < shape.rank(); i++) {
      st[i + off] = shape.dim(i) == target.dim(i + off) ? strides[i] : 0;
    }
    return new Layout(target, st, offset);
  }

  /**
   * The view {@code x[..., start:end:step, ...]} along {@code axis}, with Python's clamping of
   * {@code start} and {@code end} (negative values count from the end) and a positive step.
   */
  public Layout slice(int axis, int start, int end, int step) {
    int a = shape.axis(axis);
    if (step <= 0) {
      throw new IllegalArgumentException("slice: step must be positive, got " + step);
    }
    int n = shape.dim(a);
    int s = clampIndex(start, n);
    int e = clampIndex(end, n);
    int len = e > s ? (e - s + step - 1) / step : 0;
    int[] st = strides.clone();
    st[a] = strides[a] * step;
    return new Layout(shape.with(a, len), st, offset + (len > 0 ? s * strides[a] : 0));
  }

  private static int clampIndex(int i, int n) {
    int j = i < 0 ? i + n : i;
    return Math.max(0, Math.min(n, j));
  }

  /**
   * The same elements seen with shape {@code target} without copying, or {@code null} when the
   * strides make that impossible (the caller then copies). Element counts must already agree.
   */
  public Layout reshapeView(Shape target) {
    if (isContiguous() || shape.numel() == 0) {
      return new Layout(target, target.contiguousStrides(), offset);
    }
    // Split/merge groups of axes: a group of old axes can merge only if it is contiguous within.
    int[] newStrides = new int[target.rank()];
    int oi = 0;
    int ni = 0;
    int r = shape.rank();
    while (oi < r || ni < target.rank()) {
      // skip unit axes on either side
      if (oi < r && shape.dim(oi) == 1) {
        oi++;
        continue;
      }
      if (ni < target.rank() && target.dim(ni) == 1) {
        newStrides[ni++] = 0;
        continue;
      }
      if (oi >= r || ni >= target.rank()) {
        return null;
      }
      int oStart = oi;
      long oSize = shape.dim(oi++);
      int nStart = ni;
      long nSize = target.dim(ni++);
      while (oSize != nSize) {
        if (oSize < nSize) {
          if (oi >= r) {
            return null;
          }
          oSize *= shape.dim(oi++);
        } else {
          if (ni >= target.rank()) {
            return null;
          }
          nSize *= target.dim(ni++);
        }
      }
      // old axes [oStart, oi) must be mergeable: stride[i] == stride[i+1] * dim[i+1] (ignoring 1s)
      int last = -1;
      for (int i = oStart; i < oi; i++) {
        if (shape.dim(i) == 1) {
          continue;
        }
        if (last >= 0 && strides[last] != strides[i] * shape.dim(i)) {
          return null;
        }
        last = i;
      }
      int innermost = last >= 0 ? strides[last] : 1;
      int s = innermost;
      for (int j = ni - 1; j >= nStart; j--) {
        newStrides[j] = s;
        s *= target.dim(j);
      }
    }
    return new Layout(target, newStrides, offset);
  }

  /**
   * Checks that every position of this view lies inside a buffer of {@code bufferSize} elements.
   *
   * @throws IndexOutOfBoundsException naming the view, the range it reaches and the buffer size
   */
  public void checkInside(int bufferSize) {
    if (shape.numel() == 0) {
      return;
    }
    long lo = offset;
    long hi = offset;
    for (int a = 0; a < shape.rank(); a++) {
      long span = (long) strides[a] * (shape.dim(a) - 1);
      if (span < 0) {
        lo += span;
      } else {
        hi += span;
      }
    }
    if (lo < 0 || hi >= bufferSize) {
      throw new IndexOutOfBoundsException("strided view " + this + " reaches [" + lo + ", " + hi
          + "] outside a buffer of " + bufferSize + " elements");
    }
  }

  /** Index into the buffer of the element at the given (row-major) flat position. */
  public int bufferIndex(int flat) {
    int idx = offset;
    for (int i = shape.rank() - 1; i >= 0; i--) {
      int d = shape.dim(i);
      idx += (flat % d) * strides[i];
      flat /= d;
    }
    return idx;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Layout l && l.offset == offset && l.shape.equals(shape) && Arrays.equals(l.strides, strides);
  }

  @Override
  public int hashCode() {
    return shape.hashCode() * 31 + Arrays.hashCode(strides) * 7 + offset;
  }

  @Override
  public String toString() {
    return "Layout" + shape + " strides " + Arrays.toString(strides) + " offset " + offset;
  }
}
