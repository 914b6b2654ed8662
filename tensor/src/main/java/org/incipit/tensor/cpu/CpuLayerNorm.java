package org.incipit.tensor.cpu;

import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;

/**
 * The fused LayerNorm over the last axis of the CPU backend (see {@code Backend.layerNormRows}).
 * Forward, per row: the mean μ and the biased variance σ², each summed in double in index order
 * (σ² as Σ(x − μ)² around the double μ), ρ = 1/√(σ² + ε) rounded to the dtype, then
 * y = (x − μ)·ρ·γ + β in one pass in the dtype. Backward, per row, with ĝ = dy·γ and
 * x̂ = (x − μ)·ρ (the same expression as the forward, so the same bits):
 * <pre>dx = ρ·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))</pre>
 * with both means summed in double; and per column dγ = Σ_rows dy·x̂, dβ = Σ_rows dy, each
 * column accumulated in double over the rows in row order. Rows (forward, dx) and columns (dγ,
 * dβ) are independent, so the results do not depend on the thread count.
 */
final class CpuLayerNorm {
  private CpuLayerNorm() {}

  /** {y, μ, ρ}: y (rows, cols), μ and ρ (rows). */
  static Buffer[] forward(CpuBuffer x, CpuBuffer weight, CpuBuffer bias, int rows, int cols, double eps) {
    check("layer_norm", x, rows, cols, weight, bias);
    DType t = x.dtype();
    CpuBuffer y = CpuBuffer.allocate(t, rows * cols);
    CpuBuffer mean = CpuBuffer.allocate(t, rows);
    CpuBuffer rstd = CpuBuffer.allocate(t, rows);
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, cols)), (f, to) -> {
      for (int r = f; r < to; r++) {
        if (t == DType.F32) {
          rowF32(x.f32(), weight == null ? null : weight.f32(), bias == null ? null : bias.f32(), y.f32(),
              mean.f32(), rstd.f32(), r, cols, eps);
        } else {
          rowF64(x.f64(), weight == null ? null : weight.f64(), bias == null ? null : bias.f64(), y.f64(),
              mean.f64(), rstd.f64(), r, cols, eps);
        }
      }
    });
    return new Buffer[] {y, mean, rstd};
  }

  /** {dx, dγ, dβ}; dγ and dβ null unless {@code paramGrads}. */
  static Buffer[] backward(CpuBuffer gy, CpuBuffer x, CpuBuffer mean, CpuBuffer rstd, CpuBuffer weight,
                           int rows, int cols, boolean paramGrads) {
    check("layer_norm backward", x, rows, cols, weight, null);
    if (gy.dtype() != x.dtype() || gy.size() != x.size() || mean.size() != rows || rstd.size() != rows) {
      throw new IllegalArgumentException("layer_norm backward: dy " + gy.dtype() + "[" + gy.size() + "], mean ["
          + mean.size() + "], rstd [" + rstd.size() + "] do not fit x " + x.dtype() + " (" + rows + ", " + cols + ")");
    }
    boolean f32 = x.dtype() == DType.F32;
    CpuBuffer dx = CpuBuffer.allocate(x.dtype(), rows * cols);
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, cols)), (f, t) -> {
      for (int r = f; r < t; r++) {
        if (f32) {
          backRowF32(gy.f32(), x.f32(), mean.f32()[r], rstd.f32()[r], weight == null ? null : weight.f32(), dx.f32(),
              r * cols, cols);
        } else {
          backRowF64(gy.f64(), x.f64(), mean.f64()[r], rstd.f64()[r], weight == null ? null : weight.f64(), dx.f64(),
              r * cols, cols);
        }
      }
    });
    if (!paramGrads) {
      return new Buffer[] {dx, null, null};
    }
    CpuBuffer dw = CpuBuffer.allocate(x.dtype(), cols);
    CpuBuffer db = CpuBuffer.allocate(x.dtype(), cols);
    Parallel.range(cols, Math.max(1, CpuBackend.GRAIN / Math.max(1, rows)), (f, t) -> {
      if (f32) {
        columnsF32(gy.f32(), x.f32(), mean.f32(), rstd.f32(), dw.f32(), db.f32(), rows, cols, f, t);
      } else {
        columnsF64(gy.f64(), x.f64(), mean.f64(), rstd.f64(), dw.f64(), db.f64(), rows, cols, f, t);
      }
    });
    return new Buffer[] {dx, dw, db};
  }

  private static void check(String op, CpuBuffer x, int rows, int cols, CpuBuffer weight, CpuBuffer bias) {
    boolean ok = x.dtype().isFloating() && (long) rows * cols == x.size();
    for (CpuBuffer p : new CpuBuffer[] {weight, bias}) {
      ok &= p == null || (p.dtype() == x.dtype() && p.size() == cols);
    }
    if (!ok) {
      throw new IllegalArgumentException(op + ": x " + x.dtype() + "[" + x.size() + "] as (" + rows + ", " + cols
          + "), weight " + describe(weight) + ", bias " + describe(bias) + " do not fit");
    }
  }

  private static String describe(CpuBuffer b) {
    return b == null ? "none" : b.dtype() + "[" + b.size() + "]";
  }

  private static void rowF32(float[] x, float[] w, float[] b, float[] y, float[] mean, float[] rstd, int r, int n,
                             double eps) {
    int s = r * n;
    double sum = 0;
    for (int j = s; j < s + n; j++) {
      sum += x[j];
    }
    double mu = sum / n;
    double sq = 0;
    for (int j = s; j < s + n; j++) {
      double d = x[j] - mu;
      sq += d * d;
    }
    float m = (float) mu;
    float rs = (float) (1 / Math.sqrt(sq / n + eps));
    mean[r] = m;
    rstd[r] = rs;
    for (int j = 0; j < n; j++) {
      float v = (x[s + j] - m) * rs;
      v = w == null ? v : v * w[j];
      y[s + j] = b == null ? v : v + b[j];
    }
  }

  private static void rowF64(double[] x, double[] w, double[] b, double[] y, double[] mean, double[] rstd, int r,
                             int n, double eps) {
    int s = r * n;
    double sum = 0;
    for (int j = s; j < s + n; j++) {
      sum += x[j];
    }
    double m = sum / n;
    double sq = 0;
    for (int j = s; j < s + n; j++) {
      double d = x[j] - m;
      sq += d * d;
    }
    double rs = 1 / Math.sqrt(sq / n + eps);
    mean[r] = m;
    rstd[r] = rs;
    for (int j = 0; j < n; j++) {
      double v = (x[s + j] - m) * rs;
      v = w == null ? v : v * w[j];
      y[s + j] = b == null ? v : v + b[j];
    }
  }

  /** dx of one row starting at {@code s}: two passes, the means of ĝ and ĝ·x̂ first. */
  private static void backRowF32(float[] gy, float[] x, float m, float rs, float[] w, float[] dx, int s, int n) {
    double sg = 0;
    double sgh = 0;
    for (int j = 0; j < n; j++) {
      float g = w == null ? gy[s + j] : gy[s + j] * w[j];
      sg += g;
      sgh += (double) g * ((x[s + j] - m) * rs);
    }
    float mg = (float) (sg / n);
    float mgh = (float) (sgh / n);
    for (int j = 0; j < n; j++) {
      float g = w == null ? gy[s + j] : gy[s + j] * w[j];
      dx[s + j] = rs * (g - mg - (x[s + j] - m) * rs * mgh);
    }
  }

  private static void backRowF64(double[] gy, double[] x, double m, double rs, double[] w, double[] dx, int s, int n) {
    double sg = 0;
    double sgh = 0;
    for (int j = 0; j < n; j++) {
      double g = w == null ? gy[s + j] : gy[s + j] * w[j];
      sg += g;
      sgh += g * ((x[s + j] - m) * rs);
    }
    double mg = sg / n;
    double mgh = sgh / n;
    for (int j = 0; j < n; j++) {
      double g = w == null ? gy[s + j] : gy[s + j] * w[j];
      dx[s + j] = rs * (g - mg - (x[s + j] - m) * rs * mgh);
    }
  }

  /** dγ, dβ of columns [from, to): each column summed in double over the rows in row order. */
  private static void columnsF32(float[] gy, float[] x, float[] mean, float[] rstd, float[] dw, float[] db, int rows,
                                 int n, int from, int to) {
    double[] aw = new double[to - from];
    double[] ab = new double[to - from];
    for (int r = 0; r < rows; r++) {
      float m = mean[r];
      float rs = rstd[r];
      for (int j = from, s = r * n; j < to; j++) {
        aw[j - from] += (double) gy[s + j] * ((x[s + j] - m) * rs);
        ab[j - from] += gy[s + j];
      }
    }
    for (int j = from; j < to; j++) {
      dw[j] = (float) aw[j - from];
      db[j] = (float) ab[j - from];
    }
  }

  private static void columnsF64(double[] gy, double[] x, double[] mean, double[] rstd, double[] dw, double[] db,
                                 int rows, int n, int from, int to) {
    for (int r = 0; r < rows; r++) {
      double m = mean[r];
      double rs = rstd[r];
      for (int j = from, s = r * n; j < to; j++) {
        dw[j] += gy[s + j] * ((x[s + j] - m) * rs);
        db[j] += gy[s + j];
      }
    }
  }
}
