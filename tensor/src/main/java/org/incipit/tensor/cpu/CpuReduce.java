package org.incipit.tensor.cpu;

import org.incipit.tensor.Backend.Reduction;
import org.incipit.tensor.DType;

/**
 * Reductions of the middle axis of an (outer, n, inner) tensor. Sums accumulate in double for every
 * input type and in a fixed order (n cut into fixed blocks of {@value #BLOCK}, blocks added in
 * order), so results do not depend on the thread count.
 */
final class CpuReduce {
  static final int BLOCK = 4096;

  private CpuReduce() {}

  static CpuBuffer reduce(Reduction kind, CpuBuffer x, int outer, int n, int inner) {
    kind.check(x.size(), outer, n, inner);
    DType outType = kind == Reduction.ARGMAX ? DType.I64 : x.dtype();
    CpuBuffer out = CpuBuffer.allocate(outType, outer * inner);
    if (inner == 1) {
      Parallel.range(outer, Math.max(1, CpuBackend.GRAIN / Math.max(1, n)), (f, t) -> {
        for (int o = f; o < t; o++) {
          store(kind, out, o, row(kind, x, o * n, n));
        }
      });
    } else if (kind == Reduction.SUM && x.dtype().isFloating()) {
      sumColumns(x, out, outer, n, inner);
    } else {
      Parallel.range(outer * inner, Math.max(1, CpuBackend.GRAIN / Math.max(1, n)), (f, t) -> {
        for (int p = f; p < t; p++) {
          int o = p / inner;
          int i = p % inner;
          store(kind, out, p, strided(kind, x, o * n * inner + i, n, inner));
        }
      });
    }
    return out;
  }

  /**
   * Sums over the middle axis when inner &gt; 1: rows of length inner are added in order of j. The
   * columns are cut into chunks of 16–256 so that even one (n, inner) slab — a bias gradient —
   * gives every thread work; each sum still runs over j in order, so the cut changes nothing.
   */
  private static void sumColumns(CpuBuffer x, CpuBuffer out, int outer, int n, int inner) {
    int chunk = Math.max(16, Math.min(256, (inner / (2 * Parallel.threads()) + 15) / 16 * 16));
    int chunksPerRow = (inner + chunk - 1) / chunk;
    Parallel.range(outer * chunksPerRow, Math.max(1, CpuBackend.GRAIN / Math.max(1, n * chunk)), (f, t) -> {
      double[] acc = new double[chunk];
      for (int p = f; p < t; p++) {
        int o = p / chunksPerRow;
        int i0 = (p % chunksPerRow) * chunk;
        int len = Math.min(chunk, inner - i0);
        java.util.Arrays.fill(acc, 0.0);
        int base = o * n * inner + i0;
        if (x.dtype() == DType.F32) {
          float[] a = x.f32();
          for (int j = 0; j < n; j++) {
            int r = base + j * inner;
            for (int i = 0; i < len; i++) {
              acc[i] += a[r + i];
            }
          }
        } else {
          double[] a = x.f64();
          for (int j = 0; j < n; j++) {
            int r = base + j * inner;
            for (int i = 0; i < len; i++) {
              acc[i] += a[r + i];
            }
          }
        }
        for (int i = 0; i < len; i++) {
          out.set(o * inner + i0 + i, acc[i]);
        }
      }
    });
  }

  private static void store(Reduction kind, CpuBuffer out, int p, double v) {
    if (kind == Reduction.ARGMAX) {
      out.i64()[p] = (long) v;
    } else {
      out.set(p, v);
    }
  }

  /** Reduces n contiguous elements from {@code start}; ARGMAX returns the index as a double. */
  private static double row(Reduction kind, CpuBuffer x, int start, int n) {
    if (kind == Reduction.SUM) {
      if (x.dtype() == DType.F32) {
        return sumF32(x.f32(), start, n);
      }
      if (x.dtype() == DType.F64) {
        return sumF64(x.f64(), start, n);
      }
    }
    if (x.dtype() == DType.F32) {
      return kind == Reduction.MAX ? maxF32(x.f32(), start, n) : argmaxF32(x.f32(), start, n);
    }
    return strided(kind, x, start, n, 1);
  }

  /** The maximum of a float row; NaN when the row holds one (as the generic path). */
  private static double maxF32(float[] a, int start, int n) {
    float m = Float.NEGATIVE_INFINITY;
    boolean nan = false;
    for (int i = start; i < start + n; i++) {
      float v = a[i];
      m = Math.max(m, v);
      nan |= v != v;
    }
    return nan ? Double.NaN : m;
  }

  /** The index of the first maximum of a float row (the first NaN when there is one). */
  private static double argmaxF32(float[] a, int start, int n) {
    float m = Float.NEGATIVE_INFINITY;
    int arg = 0;
    for (int j = 0; j < n; j++) {
      float v = a[start + j];
      if (v != v) {
        return j;
      }
      if (v > m) {
        m = v;
        arg = j;
      }
    }
    return arg;
  }

  private static double sumF32(float[] a, int start, int n) {
    double total = 0;
    for (int b = 0; b < n; b += BLOCK) {
      int end = start + Math.min(n, b + BLOCK);
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int i = start + b;
      for (; i + 3 < end; i += 4) {
        s0 += a[i];
        s1 += a[i + 1];
        s2 += a[i + 2];
        s3 += a[i + 3];
      }
      for (; i < end; i++) {
        s0 += a[i];
      }
      total += (s0 + s1) + (s2 + s3);
    }
    return total;
  }

  private static double sumF64(double[] a, int start, int n) {
    double total = 0;
    for (int b = 0; b < n; b += BLOCK) {
      int end = start + Math.min(n, b + BLOCK);
      double s0 = 0;
      double s1 = 0;
      int i = start + b;
      for (; i + 1 < end; i += 2) {
        s0 += a[i];
        s1 += a[i + 1];
      }
      for (; i < end; i++) {
        s0 += a[i];
      }
      total += s0 + s1;
    }
    return total;
  }

  /** Generic reduction of n elements spaced {@code stride} apart. */
  private static double strided(Reduction kind, CpuBuffer x, int start, int n, int stride) {
    switch (kind) {
      case SUM -> {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += x.get(start + j * stride);
        }
        return s;
      }
      case MAX -> {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          double v = x.get(start + j * stride);
          if (v > m || Double.isNaN(v)) {
            m = v;
            if (Double.isNaN(v)) {
              break;
            }
          }
        }
        return m;
      }
      default -> {
        double m = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int j = 0; j < n; j++) {
          double v = x.get(start + j * stride);
          if (Double.isNaN(v)) {
            return j;
          }
          if (v > m) {
            m = v;
            arg = j;
          }
        }
        return arg;
      }
    }
  }
}
