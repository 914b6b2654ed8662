package org.incipit.tensor;

import java.util.Arrays;

/**
 * An immutable list of dimension sizes, row-major. A shape of rank 0 is a scalar with one element.
 *
 * <p>Axes may be given negative, counting from the end as in NumPy and PyTorch; {@link #axis}
 * normalises them and names the bad axis and the rank when one is out of range.
 */
public final class Shape {
  private static final Shape SCALAR = new Shape(new int[0]);

  private final int[] dims;
  private final int numel;

  private Shape(int[] dims) {
    long n = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension " + d + " in shape " + Arrays.toString(dims));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
      }
    }
    this.dims = dims;
    this.numel = (int) n;
  }

  /** A shape with the given dimensions; {@code Shape.of()} is the scalar shape. */
  public static Shape of(int... dims) {
    return dims.length == 0 ? SCALAR : new Shape(dims.clone());
  }

  /** The rank-0 shape. */
  public static Shape scalar() {
    return SCALAR;
  }

  public int rank() {
    return dims.length;
  }

  /** Size of axis {@code i}; negative {@code i} counts from the end. */
  public int dim(int i) {
    return dims[axis(i)];
  }

  /** A copy of the dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** Number of elements: the product of the dimensions (1 for a scalar). */
  public int numel() {
    return numel;
  }

  /** Normalises a possibly negative axis into [0, rank). */
  public int axis(int axis) {
    return normalizeAxis(axis, dims.length);
  }

  /** Normalises {@code axis} for a tensor of rank {@code rank}, naming both when out of range. */
  public static int normalizeAxis(int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IndexOutOfBoundsException(
          "dimension " + axis + " out of range for a tensor of rank " + rank
              + " (expected in [" + (-rank) + ", " + (rank - 1) + "])");
    }
    return a;
  }

  /** Row-major (contiguous) strides of this shape, in elements. */
  public int[] contiguousStrides() {
    int[] strides = new int[dims.length];
    int s = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= Math.max(dims[i], 1);
    }
    return strides;
  }

  /** Product of the dimensions in [from, to). */
  public int numel(int from, int to) {
    int n = 1;
    for (int i = from; i < to; i++) {
      n *= dims[i];
    }
    return n;
  }

  /** This shape with axis {@code axis} set to {@code size}. */
  public Shape with(int axis, int size) {
    int[] d = dims.clone();
    d[axis(axis)] = size;
    return new Shape(d);
  }

  /** This shape without axis {@code axis}. */
  public Shape without(int axis) {
    int a = axis(axis);
    int[] d = new int[dims.length - 1];
    System.arraycopy(dims, 0, d, 0, a);
    System.arraycopy(dims, a + 1, d, a, dims.length - a - 1);
    return new Shape(d);
  }

  /** This shape with a new axis of {@code size} inserted before position {@code axis} (0..rank). */
  public Shape insert(int axis, int size) {
    int a = normalizeAxis(axis, dims.length + 1);
    int[] d = new int[dims.length + 1];
    System.arraycopy(dims, 0, d, 0, a);
    d[a] = size;
    System.arraycopy(dims, a, d, a + 1, dims.length - a);
    return new Shape(d);
  }

  /**
   * The NumPy broadcast of two shapes: aligned from the right, each pair of sizes must be equal or
   * contain a 1.
   *
   * @param op the op asking, named in the error
   * @throws IllegalArgumentException naming the op and both shapes when they cannot be broadcast
   */
  public static Shape broadcast(String op, Shape a, Shape b) {
    if (a.equals(b)) {
      return a;
    }
    int rank = Math.max(a.rank(), b.rank());
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
      int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            op + ": shapes " + a + " and " + b + " cannot be broadcast (dimension " + i
                + " of the result: " + da + " vs " + db + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return new Shape(out);
  }

  /** True when this shape can be broadcast to {@code target} without changing {@code target}. */
  public boolean broadcastsTo(Shape target) {
    if (rank() > target.rank()) {
      return false;
    }
    int off = target.rank() - rank();
    for (int i = 0; i < rank(); i++) {
      if (dims[i] != 1 && dims[i] != target.dims[i + off]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
