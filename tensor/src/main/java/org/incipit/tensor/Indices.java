package org.incipit.tensor;

/**
 * The checks every backend's index kernels make before writing anything, so that all backends
 * reject bad indices with the same message.
 */
public final class Indices {
  private Indices() {}

  /**
   * Checks that an index buffer holds integers and has {@code expected} elements.
   *
   * @throws IllegalArgumentException naming the dtype or the sizes
   */
  public static void checkShape(DType dtype, int size, int expected) {
    if (dtype.isFloating() || dtype == DType.BOOL) {
      throw new IllegalArgumentException("index must be an integer tensor (I64 or I32), got " + dtype);
    }
    if (size != expected) {
      throw new IllegalArgumentException("index has " + size + " elements, expected " + expected);
    }
  }

  /**
   * Checks that every index lies in [0, n).
   *
   * @throws IndexOutOfBoundsException naming the first bad index and the bound
   */
  public static void checkRange(long[] index, int n) {
    for (long v : index) {
      if (v < 0 || v >= n) {
        throw new IndexOutOfBoundsException("index " + v + " is out of range for a dimension of size " + n
            + " (valid: 0.." + (n - 1) + ")");
      }
    }
  }
}
