package org.incipit.tensor.opencl;

import static org.incipit.tensor.opencl.OpenClBackend.clType;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clReleaseMemObject;

import org.incipit.tensor.DType;
import org.incipit.tensor.Indices;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * gather / index_select and scatter_add / index_add ({@code kernels/index.cl}).
 *
 * <p><b>Validation on the host.</b> Every index is checked against its bound before a kernel is
 * enqueued, with the CPU backend's {@link IndexOutOfBoundsException}; an index buffer uploaded
 * from the host is checked against its kept host copy, one computed on the device is read back
 * (the only index path that waits for the queue).
 *
 * <p><b>Deterministic adds, no atomics.</b> Floating-point atomics would add in a different order
 * on every run. Instead the host sorts the source positions by target (a counting sort, stable,
 * so in index order) and uploads that grouping; one work-item per output element then adds its
 * sources in that order. The sums are bit-identical from run to run and to the CPU backend, which
 * adds in the same order.
 */
final class ClIndexing {
  private static final int LOCAL = 64;

  private final OpenClBackend be;
  private final String source = ClDevice.resource("index.cl");

  ClIndexing(OpenClBackend be) {
    this.be = be;
  }

  OpenClBuffer gather(OpenClBuffer src, int outer, int n, int inner, OpenClBuffer index, int m) {
    int total = outer * m * inner;
    checked(index, n, total);
    OpenClBuffer out = be.allocate(src.dtype(), total);
    be.device().launch(kernel(src.dtype(), index.dtype(), "gather"), total, LOCAL, src, index, out, n, inner, m, total);
    return out;
  }

  OpenClBuffer indexSelect(OpenClBuffer src, int outer, int n, int inner, OpenClBuffer index, int m) {
    checked(index, n, m);
    int total = outer * m * inner;
    OpenClBuffer out = be.allocate(src.dtype(), total);
    be.device().launch(kernel(src.dtype(), index.dtype(), "index_select"), total, LOCAL, src, index, out,
        n, inner, m, total);
    return out;
  }

  OpenClBuffer scatterAdd(OpenClBuffer into, int outer, int n, int inner, OpenClBuffer index, OpenClBuffer src, int m) {
    int sources = outer * m * inner;
    checkAdd("scatterAdd", into, outer * n * inner, src, sources);
    long[] idx = checked(index, n, sources);
    int total = outer * n * inner;
    int[] target = new int[sources];
    for (int q = 0; q < sources; q++) {
      int o = q / (m * inner);
      target[q] = (int) ((o * (long) n + idx[q]) * inner + q % inner);
    }
    int[][] groups = groupByTarget(target, total);
    OpenClBuffer out = be.allocate(into.dtype(), total);
    cl_mem starts = upload(groups[0]);
    cl_mem order = upload(groups[1]);
    try {
      be.device().launch(kernel(into.dtype(), index.dtype(), "segment_add"), total, LOCAL, into, src, starts, order,
          out, total);
    } finally {
      clReleaseMemObject(starts); // freed by OpenCL once the kernel has run
      clReleaseMemObject(order);
    }
    return out;
  }

  OpenClBuffer indexAdd(OpenClBuffer into, int outer, int n, int inner, OpenClBuffer index, OpenClBuffer src, int m) {
    checkAdd("indexAdd", into, outer * n * inner, src, outer * m * inner);
    long[] idx = checked(index, n, m);
    int[] target = new int[m];
    for (int j = 0; j < m; j++) {
      target[j] = (int) idx[j];
    }
    int[][] groups = groupByTarget(target, n);
    int total = outer * n * inner;
    OpenClBuffer out = be.allocate(into.dtype(), total);
    cl_mem rows = upload(groups[0]);
    cl_mem order = upload(groups[1]);
    try {
      be.device().launch(kernel(into.dtype(), index.dtype(), "index_add"), total, LOCAL, into, src, rows, order, out,
          n, inner, m, total);
    } finally {
      clReleaseMemObject(rows);
      clReleaseMemObject(order);
    }
    return out;
  }

  private static void checkAdd(String op, OpenClBuffer into, int intoSize, OpenClBuffer src, int srcSize) {
    if (into.dtype() != src.dtype() || into.size() != intoSize || src.size() != srcSize) {
      throw new IllegalArgumentException(op + ": needs " + into.dtype() + "[" + intoSize + "] and a source of the same dtype ["
          + srcSize + "], got " + into.dtype() + "[" + into.size() + "] and " + src.dtype() + "[" + src.size() + "]");
    }
  }

  /** The index values, checked like the CPU backend checks them. */
  private long[] checked(OpenClBuffer index, int n, int expected) {
    Indices.checkShape(index.dtype(), index.size(), expected);
    long[] idx = be.indexValues(index);
    Indices.checkRange(idx, n);
    return idx;
  }

  /**
   * A stable counting sort of positions 0..len-1 by {@code target}: {starts, order} with the
   * positions landing on t at order[starts[t]] .. order[starts[t+1] − 1], in increasing order.
   */
  static int[][] groupByTarget(int[] target, int targets) {
    int[] starts = new int[targets + 1];
    for (int t : target) {
      starts[t + 1]++;
    }
    for (int t = 0; t < targets; t++) {
      starts[t + 1] += starts[t];
    }
    int[] next = java.util.Arrays.copyOf(starts, targets);
    int[] order = new int[target.length];
    for (int q = 0; q < target.length; q++) {
      order[next[target[q]]++] = q;
    }
    return new int[][] {starts, order};
  }

  private cl_mem upload(int[] data) {
    long bytes = (long) Math.max(1, data.length) * Sizeof.cl_int;
    return clCreateBuffer(be.device().context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes,
        Pointer.to(data.length == 0 ? new int[1] : data), null);
  }

  private cl_kernel kernel(DType t, DType index, String name) {
    return be.device().kernel("index|" + t + "|" + index, name, () -> {
      String add = t == DType.BOOL ? "((uchar) (((a) | (b)) != 0))" : "((a) + (b))";
      return ClElementwise.pragmas(t == DType.F64) + "\n"
          + ClDevice.defines("T", clType(t), "IDX", clType(index), "ADD(a, b)", add) + source;
    }, "");
  }
}
