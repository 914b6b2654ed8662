package org.incipit.tensor.cpu;

import org.incipit.tensor.DType;

/**
 * The fused cross-entropy of the CPU backend (see {@code Backend.crossEntropyRows}): per row, one
 * pass for the maximum m, one for e^(x−m) (F32: the {@link FloatMath} exp loop, vectorised where
 * possible, the same bits either way) and its sum, as {@link CpuSoftmax}; the backward is one exp
 * pass per row that writes the gradient. Rows are independent, so results do not depend on the
 * thread count; sums accumulate in double in index order; F64 and the logarithm use StrictMath.
 */
final class CpuCrossEntropy {
  private CpuCrossEntropy() {}

  static CpuBuffer forward(CpuBuffer x, CpuBuffer target, int rows, int cols, double smoothing) {
    check("cross_entropy", x, target, rows, cols);
    CpuBuffer out = CpuBuffer.allocate(x.dtype(), 3 * rows);
    long[] t = target.i64();
    CpuElementwise.UnaryLoop exp = x.dtype() == DType.F32 ? CpuElementwise.fastLoop("exp") : null;
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, cols)), (f, e) -> {
      float[] scratch = x.dtype() == DType.F32 ? new float[cols] : null;
      for (int r = f; r < e; r++) {
        double[] row = x.dtype() == DType.F32
            ? statsF32(x.f32(), r * cols, cols, smoothing > 0, scratch, exp)
            : statsF64(x.f64(), r * cols, cols, smoothing > 0);
        double loss = 0;
        if (cols > 0) { // an ignored row counts as class 0 times 0 (NaN where that is not finite), as the composite
          double picked = x.get(r * cols + (int) Math.max(0, t[r]));
          // m − x[t] first, so a large shared m cancels before log Σ is added
          loss = smoothing == 0 ? (row[0] - picked) + row[1]
              : (1 - smoothing) * (row[0] - picked) + smoothing * (row[0] - row[2] / cols) + row[1];
          loss *= t[r] < 0 ? 0 : 1;
        }
        out.set(r, loss);
        out.set(rows + r, row[0]);
        out.set(2 * rows + r, row[1]);
      }
    });
    return out;
  }

  /**
   * {m, log Σ e^(x−m), Σ x} of a float row (m = 0 when the maximum is infinite, as CpuSoftmax; Σ x
   * only when {@code total}: label smoothing needs it, the default loss does not).
   */
  private static double[] statsF32(float[] a, int start, int n, boolean total, float[] scratch,
                                   CpuElementwise.UnaryLoop exp) {
    float shift = CpuSoftmax.shiftF32(a, start, n);
    double sum = CpuSoftmax.expSumF32(a, start, n, shift, scratch, 0, exp);
    // log Σ rounds to float when stored
    return new double[] {shift, StrictMath.log(sum), total ? rowSum(a, start, n) : 0};
  }

  private static double rowSum(float[] a, int start, int n) {
    double s = 0;
    for (int j = start; j < start + n; j++) {
      s += a[j];
    }
    return s;
  }

  private static double[] statsF64(double[] a, int start, int n, boolean withTotal) {
    double m = Double.NEGATIVE_INFINITY;
    double total = 0;
    for (int j = start; j < start + n; j++) {
      m = Math.max(m, a[j]);
      total += withTotal ? a[j] : 0;
    }
    double shift = Double.isInfinite(m) ? 0 : m;
    double sum = 0;
    for (int j = start; j < start + n; j++) {
      sum += StrictMath.exp(a[j] - shift);
    }
    return new double[] {shift, StrictMath.log(sum), total};
  }

  /** dx = g·(e^((x−m)−log Σ) − (1−ε)·onehot − ε/C) per row; g·0 on ignored rows. */
  static CpuBuffer backward(CpuBuffer x, CpuBuffer target, CpuBuffer stats, CpuBuffer g, int rows, int cols,
                            double smoothing) {
    check("cross_entropy backward", x, target, rows, cols);
    if (stats.dtype() != x.dtype() || stats.size() != 3 * rows || g.dtype() != x.dtype() || g.size() != rows) {
      throw new IllegalArgumentException("cross_entropy backward: stats " + stats.dtype() + "[" + stats.size()
          + "] and g " + g.dtype() + "[" + g.size() + "] must be " + x.dtype() + "[" + 3 * rows + "] and ["
          + rows + "]");
    }
    CpuBuffer out = CpuBuffer.allocate(x.dtype(), rows * cols);
    long[] t = target.i64();
    CpuElementwise.UnaryLoop exp = x.dtype() == DType.F32 ? CpuElementwise.fastLoop("exp") : null;
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, cols)), (f, e) -> {
      for (int r = f; r < e; r++) {
        if (t[r] < 0) { // zeros (the buffer's start), or NaN where g is not finite, as the composite's g·0
          double nan = g.get(r) * 0.0;
          for (int j = r * cols; nan != nan && j < (r + 1) * cols; j++) {
            out.set(j, nan);
          }
          continue;
        }
        if (x.dtype() == DType.F32) {
          float[] s = stats.f32();
          gradF32(x.f32(), out.f32(), r * cols, cols, (int) t[r], s[rows + r], s[2 * rows + r], g.f32()[r],
              smoothing, exp);
        } else {
          double[] s = stats.f64();
          gradF64(x.f64(), out.f64(), r * cols, cols, (int) t[r], s[rows + r], s[2 * rows + r], g.f64()[r],
              smoothing);
        }
      }
    });
    return out;
  }

  private static void gradF32(float[] a, float[] o, int start, int n, int target, float shift, float logSum,
                              float g, double smoothing, CpuElementwise.UnaryLoop exp) {
    for (int j = start; j < start + n; j++) {
      o[j] = (a[j] - shift) - logSum; // log p, as CpuSoftmax's log-softmax
    }
    exp.run(o, o, start, start + n, 0f);
    float uniform = (float) (smoothing / n);
    float hot = (float) (1 - smoothing);
    float pt = o[start + target];
    for (int j = start; j < start + n; j++) {
      o[j] = (o[j] - uniform) * g;
    }
    o[start + target] = (pt - uniform - hot) * g;
  }

  private static void gradF64(double[] a, double[] o, int start, int n, int target, double shift, double logSum,
                              double g, double smoothing) {
    double uniform = smoothing / n;
    for (int j = start; j < start + n; j++) {
      o[j] = (StrictMath.exp((a[j] - shift) - logSum) - uniform) * g;
    }
    double pt = StrictMath.exp((a[start + target] - shift) - logSum);
    o[start + target] = (pt - uniform - (1 - smoothing)) * g;
  }

  private static void check(String op, CpuBuffer x, CpuBuffer target, int rows, int cols) {
    if (!x.dtype().isFloating() || x.size() != rows * cols || target.dtype() != DType.I64 || target.size() != rows) {
      throw new IllegalArgumentException(op + ": logits " + x.dtype() + "[" + x.size() + "] and targets "
          + target.dtype() + "[" + target.size() + "] do not match " + rows + "x" + cols + " (float logits, I64 targets)");
    }
    long[] t = target.i64();
    for (int r = 0; r < rows; r++) {
      if (t[r] >= cols) {
        throw new IndexOutOfBoundsException(op + ": target class " + t[r] + " at row " + r + " is out of range for "
            + cols + " classes");
      }
    }
  }
}
