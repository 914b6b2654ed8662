package org.incipit.tensor.cpu;

import org.incipit.tensor.DType;

/**
 * The fused bias + activation of the CPU backend (see {@code Backend.biasActivation}): y = act(z + b)
 * in one pass over z, and its backward dz = dy ⊙ act′(y) with the bias gradient db = Σ_r dz[r, ·]
 * in the same pass. The forward is split over rows; the backward with a bias over blocks of
 * {@value #BLOCK} columns, each summed over all rows in row order in double (the order of
 * {@link CpuReduce}'s column sums), so no result depends on the thread count.
 */
final class CpuBiasActivation {
  static final int BLOCK = 256;
  /** Float32 rows through {@link VectorBiasActivation} (the same bits). */
  private static final boolean VECTOR = VectorSupport.AVAILABLE;

  private CpuBiasActivation() {}

  private static boolean relu(String act) {
    return switch (act) {
      case "relu" -> true;
      case "identity" -> false;
      default -> throw new IllegalArgumentException("bias_act: unknown activation '" + act + "' (identity, relu)");
    };
  }

  static CpuBuffer forward(CpuBuffer z, CpuBuffer b, int rows, int cols, String act) {
    boolean relu = relu(act);
    if (z.dtype() != b.dtype() || !z.dtype().isFloating() || z.size() != rows * cols || b.size() != cols) {
      throw new IllegalArgumentException("bias_act: z " + z.dtype() + "[" + z.size() + "] and bias " + b.dtype()
          + "[" + b.size() + "] do not match " + rows + "x" + cols + " (one float dtype)");
    }
    CpuBuffer out = CpuBuffer.allocate(z.dtype(), rows * cols);
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, cols)), (f, t) -> {
      for (int r = f; r < t; r++) {
        if (z.dtype() == DType.F32) {
          float[] a = z.f32();
          float[] c = b.f32();
          float[] o = out.f32();
          if (VECTOR) {
            VectorBiasActivation.forwardRow(a, c, o, r * cols, cols, relu);
          } else {
            forwardRow(a, c, o, r * cols, 0, cols, relu);
          }
        } else {
          double[] a = z.f64();
          double[] c = b.f64();
          double[] o = out.f64();
          for (int j = 0, i = r * cols; j < cols; j++, i++) {
            double v = a[i] + c[j];
            o[i] = relu && !(v > 0) ? 0.0 : v;
          }
        }
      }
    });
    return out;
  }

  /**
   * The float32 forward of one row over columns [j0, cols): o[i0 + j] = act(a[i0 + j] + c[j]), with
   * relu(NaN) = 0 as Relu's kernel; {@link VectorBiasActivation} runs its row tails here.
   */
  static void forwardRow(float[] a, float[] c, float[] o, int i0, int j0, int cols, boolean relu) {
    for (int j = j0, i = i0 + j0; j < cols; j++, i++) {
      float v = a[i] + c[j];
      o[i] = relu && !(v > 0) ? 0f : v;
    }
  }

  /**
   * The float32 dz of one row over [j0, len): o[base + j] = g·(y &gt; 0 ? 1 : 0) (relu), else g;
   * {@link VectorBiasActivation} runs its row tails here.
   */
  static void backwardRow(float[] g, float[] y, float[] o, int base, int j0, int len, boolean relu) {
    for (int j = j0; j < len; j++) {
      o[base + j] = relu ? g[base + j] * (y[base + j] > 0 ? 1f : 0f) : g[base + j];
    }
  }

  static CpuBuffer backward(CpuBuffer dy, CpuBuffer y, int rows, int cols, String act, CpuBuffer db) {
    boolean relu = relu(act);
    if (dy.dtype() != y.dtype() || !y.dtype().isFloating() || dy.size() != rows * cols || y.size() != rows * cols
        || db != null && (db.dtype() != y.dtype() || db.size() != cols)) {
      throw new IllegalArgumentException("bias_act backward: dy " + dy.dtype() + "[" + dy.size() + "] and y "
          + y.dtype() + "[" + y.size() + "] must hold " + rows + "x" + cols + " floats, db (if any) " + cols);
    }
    CpuBuffer dz = CpuBuffer.allocate(y.dtype(), rows * cols);
    if (db == null) { // elementwise: any split will do
      Parallel.range(rows * cols, CpuBackend.GRAIN, (f, t) -> block(dy, y, dz, null, f, t - f, 1, 0, relu));
      return dz;
    }
    int blocks = (cols + BLOCK - 1) / BLOCK;
    Parallel.range(blocks, Math.max(1, CpuBackend.GRAIN / Math.max(1, rows * BLOCK)), (f, t) -> {
      for (int k = f; k < t; k++) {
        int c0 = k * BLOCK;
        block(dy, y, dz, db, c0, Math.min(BLOCK, cols - c0), rows, cols, relu);
      }
    });
    return dz;
  }

  /**
   * dz over {@code rows} rows of {@code len} elements from {@code start} (rows {@code stride}
   * apart), and, unless {@code db} is null, those columns' sums into db from {@code start}.
   */
  private static void block(CpuBuffer dy, CpuBuffer y, CpuBuffer out, CpuBuffer db, int start, int len, int rows,
                            int stride, boolean relu) {
    boolean sum = db != null;
    double[] acc = sum ? new double[len] : null;
    if (y.dtype() == DType.F32) {
      float[] g = dy.f32();
      float[] v = y.f32();
      float[] o = out.f32();
      for (int r = 0; r < rows; r++) {
        int base = start + r * stride;
        if (VECTOR) {
          VectorBiasActivation.backwardRow(g, v, o, base, len, relu);
        } else {
          backwardRow(g, v, o, base, 0, len, relu);
        }
        for (int j = 0; sum && j < len; j++) { // the row's dz, still in L1, into the column sums
          acc[j] += o[base + j];
        }
      }
    } else {
      double[] g = dy.f64();
      double[] v = y.f64();
      double[] o = out.f64();
      for (int r = 0; r < rows; r++) {
        int base = start + r * stride;
        for (int j = 0; j < len; j++) {
          double d = relu ? g[base + j] * (v[base + j] > 0 ? 1.0 : 0.0) : g[base + j];
          o[base + j] = d;
          if (sum) {
            acc[j] += d;
          }
        }
      }
    }
    for (int j = 0; sum && j < len; j++) {
      db.set(start + j, acc[j]);
    }
  }
}
