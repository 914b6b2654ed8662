package org.incipit.tensor.cpu;

import org.incipit.tensor.DType;
import org.incipit.tensor.Indices;

/**
 * gather / scatter-add (index shaped like the output) and index_select / index_add (a 1-D index)
 * along the middle axis of (outer, n, inner) tensors. Every index is checked against n before
 * anything is written. Scatter-adds run in index order inside each (outer, inner) column, so they
 * are deterministic; they are parallel over columns only.
 */
final class CpuIndexing {
  private CpuIndexing() {}

  static CpuBuffer gather(CpuBuffer src, int outer, int n, int inner, CpuBuffer index, int m) {
    long[] idx = checkedIndex(index, n, outer * m * inner);
    CpuBuffer out = CpuBuffer.allocate(src.dtype(), outer * m * inner);
    Parallel.range(outer * m, Math.max(1, CpuBackend.GRAIN / Math.max(1, inner)), (f, t) -> {
      for (int p = f; p < t; p++) {
        int o = p / m;
        for (int i = 0; i < inner; i++) {
          int q = p * inner + i;
          copyElement(src, (o * n + (int) idx[q]) * inner + i, out, q);
        }
      }
    });
    return out;
  }

  static CpuBuffer scatterAdd(CpuBuffer into, int outer, int n, int inner, CpuBuffer index, CpuBuffer src, int m) {
    long[] idx = checkedIndex(index, n, outer * m * inner);
    CpuBuffer out = copyOf(into);
    Parallel.range(outer * inner, Math.max(1, CpuBackend.GRAIN / Math.max(1, m)), (f, t) -> {
      for (int p = f; p < t; p++) {
        int o = p / inner;
        int i = p % inner;
        for (int j = 0; j < m; j++) {
          int q = (o * m + j) * inner + i;
          int d = (o * n + (int) idx[q]) * inner + i;
          out.set(d, out.get(d) + src.get(q));
        }
      }
    });
    return out;
  }

  static CpuBuffer indexSelect(CpuBuffer src, int outer, int n, int inner, CpuBuffer index, int m) {
    long[] idx = checkedIndex(index, n, m);
    CpuBuffer out = CpuBuffer.allocate(src.dtype(), outer * m * inner);
    Parallel.range(outer * m, Math.max(1, CpuBackend.GRAIN / Math.max(1, inner)), (f, t) -> {
      for (int p = f; p < t; p++) {
        int o = p / m;
        int j = p % m;
        System.arraycopy(src.array(), (o * n + (int) idx[j]) * inner, out.array(), p * inner, inner);
      }
    });
    return out;
  }

  static CpuBuffer indexAdd(CpuBuffer into, int outer, int n, int inner, CpuBuffer index, CpuBuffer src, int m) {
    long[] idx = checkedIndex(index, n, m);
    CpuBuffer out = copyOf(into);
    // Parallel over (outer, blocks of inner); each block adds the rows of src in index order.
    int chunk = 512;
    int chunks = (inner + chunk - 1) / chunk;
    Parallel.range(outer * chunks, 1, (f, t) -> {
      for (int p = f; p < t; p++) {
        int o = p / chunks;
        int i0 = (p % chunks) * chunk;
        int len = Math.min(chunk, inner - i0);
        for (int j = 0; j < m; j++) {
          int s = (o * m + j) * inner + i0;
          int d = (o * n + (int) idx[j]) * inner + i0;
          addRow(out, d, src, s, len);
        }
      }
    });
    return out;
  }

  private static void addRow(CpuBuffer out, int d, CpuBuffer src, int s, int len) {
    if (out.dtype() == DType.F32) {
      float[] o = out.f32();
      float[] a = src.f32();
      for (int i = 0; i < len; i++) {
        o[d + i] += a[s + i];
      }
    } else if (out.dtype() == DType.F64) {
      double[] o = out.f64();
      double[] a = src.f64();
      for (int i = 0; i < len; i++) {
        o[d + i] += a[s + i];
      }
    } else {
      for (int i = 0; i < len; i++) {
        out.set(d + i, out.get(d + i) + src.get(s + i));
      }
    }
  }

  private static void copyElement(CpuBuffer src, int s, CpuBuffer dst, int d) {
    System.arraycopy(src.array(), s, dst.array(), d, 1);
  }

  private static CpuBuffer copyOf(CpuBuffer b) {
    CpuBuffer out = CpuBuffer.allocate(b.dtype(), b.size());
    System.arraycopy(b.array(), 0, out.array(), 0, b.size());
    return out;
  }

  /** The index values as longs, each checked to lie in [0, n). */
  private static long[] checkedIndex(CpuBuffer index, int n, int expected) {
    Indices.checkShape(index.dtype(), index.size(), expected);
    long[] idx = new long[index.size()];
    for (int q = 0; q < idx.length; q++) {
      idx[q] = index.getLong(q);
    }
    Indices.checkRange(idx, n);
    return idx;
  }
}
