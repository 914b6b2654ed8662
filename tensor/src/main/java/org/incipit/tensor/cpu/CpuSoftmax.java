package org.incipit.tensor.cpu;

import org.incipit.tensor.DType;

/**
 * The fused softmax and log-softmax of the CPU backend: per row, one pass for the maximum, one for
 * e^(x−m) (F32: the {@link FloatMath} exp, vectorised where possible, the same bits either way) and
 * its sum, one to scale. Rows are independent, so the result does not depend on the thread count;
 * sums accumulate in double, in index order; the double logarithm and F64 exponential are
 * StrictMath's. The backward ({@link #backward}) is one pass per row as well, plus the exp of
 * log-softmax.
 */
final class CpuSoftmax {
  private CpuSoftmax() {}

  static CpuBuffer rows(CpuBuffer x, int rows, int cols, boolean log) {
    CpuBuffer out = CpuBuffer.allocate(x.dtype(), rows * cols);
    CpuElementwise.UnaryLoop exp = x.dtype() == DType.F32 ? CpuElementwise.fastLoop("exp") : null;
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, cols)), (f, t) -> {
      for (int r = f; r < t; r++) {
        if (x.dtype() == DType.F32) {
          rowF32(x.f32(), out.f32(), r * cols, cols, log, exp);
        } else {
          rowF64(x.f64(), out.f64(), r * cols, cols, log);
        }
      }
    });
    return out;
  }

  static void rowF32(float[] a, float[] o, int start, int n, boolean log, CpuElementwise.UnaryLoop exp) {
    float shift = shiftF32(a, start, n);
    double sum = expSumF32(a, start, n, shift, o, start, exp);
    if (log) {
      float lse = (float) StrictMath.log(sum);
      for (int j = start; j < start + n; j++) {
        o[j] = (a[j] - shift) - lse;
      }
    } else {
      float total = (float) sum;
      for (int j = start; j < start + n; j++) {
        o[j] = o[j] / total;
      }
    }
  }

  /**
   * The row's shift: its maximum, or 0 where that is infinite (a row of −∞, fully masked, then
   * gives NaN, as the composite).
   */
  static float shiftF32(float[] a, int start, int n) {
    float m = Float.NEGATIVE_INFINITY;
    for (int j = start; j < start + n; j++) {
      m = Math.max(m, a[j]);
    }
    return Float.isInfinite(m) ? 0f : m;
  }

  /**
   * o[oStart + j] = e^(a[start + j] − shift) for j &lt; n (the exact float exp), and their sum in
   * double, in index order.
   */
  static double expSumF32(float[] a, int start, int n, float shift, float[] o, int oStart,
                          CpuElementwise.UnaryLoop exp) {
    for (int j = 0; j < n; j++) {
      o[oStart + j] = a[start + j] - shift;
    }
    exp.run(o, o, oStart, oStart + n, 0f);
    double sum = 0;
    for (int j = oStart; j < oStart + n; j++) {
      sum += o[j];
    }
    return sum;
  }

  static void rowF64(double[] a, double[] o, int start, int n, boolean log) {
    double m = Double.NEGATIVE_INFINITY;
    for (int j = start; j < start + n; j++) {
      m = Math.max(m, a[j]);
    }
    double shift = Double.isInfinite(m) ? 0 : m;
    double sum = 0;
    for (int j = start; j < start + n; j++) {
      o[j] = StrictMath.exp(a[j] - shift);
      sum += o[j];
    }
    double lse = StrictMath.log(sum);
    for (int j = start; j < start + n; j++) {
      o[j] = log ? (a[j] - shift) - lse : o[j] / sum;
    }
  }
  /**
   * dx = y ⊙ (dy − s) with s = Σⱼ dyⱼyⱼ (softmax), or dx = dy − e^y·s with s = Σⱼ dyⱼ (log-softmax),
   * per row; s accumulates in double in index order (F32: the products dyⱼyⱼ in float, as the
   * composite's mul), then rounds to the dtype.
   */
  static CpuBuffer backward(CpuBuffer dy, CpuBuffer y, int rows, int cols, boolean log) {
    if (dy.dtype() != y.dtype() || dy.size() != rows * cols || y.size() != rows * cols) {
      throw new IllegalArgumentException("softmax_backward: dy " + dy.dtype() + "[" + dy.size() + "] and y "
          + y.dtype() + "[" + y.size() + "] must both hold " + rows + "x" + cols + " elements");
    }
    CpuBuffer out = CpuBuffer.allocate(y.dtype(), rows * cols);
    CpuElementwise.UnaryLoop exp = y.dtype() == DType.F32 ? CpuElementwise.fastLoop("exp") : null;
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, cols)), (f, t) -> {
      for (int r = f; r < t; r++) {
        if (y.dtype() == DType.F32) {
          backwardF32(dy.f32(), y.f32(), out.f32(), r * cols, cols, log, exp);
        } else {
          backwardF64(dy.f64(), y.f64(), out.f64(), r * cols, cols, log);
        }
      }
    });
    return out;
  }

  private static void backwardF32(float[] g, float[] y, float[] o, int start, int n, boolean log,
                                  CpuElementwise.UnaryLoop exp) {
    double sum = 0;
    for (int j = start; j < start + n; j++) {
      sum += log ? g[j] : g[j] * y[j];
    }
    float s = (float) sum;
    if (log) {
      exp.run(y, o, start, start + n, 0f);
      for (int j = start; j < start + n; j++) {
        o[j] = g[j] - o[j] * s;
      }
    } else {
      for (int j = start; j < start + n; j++) {
        o[j] = y[j] * (g[j] - s);
      }
    }
  }

  private static void backwardF64(double[] g, double[] y, double[] o, int start, int n, boolean log) {
    double s = 0;
    for (int j = start; j < start + n; j++) {
      s += log ? g[j] : g[j] * y[j];
    }
    for (int j = start; j < start + n; j++) {
      o[j] = log ? g[j] - StrictMath.exp(y[j]) * s : y[j] * (g[j] - s);
    }
  }
}
