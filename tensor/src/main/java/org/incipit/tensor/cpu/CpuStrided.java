package org.incipit.tensor.cpu;

import org.incipit.tensor.DType;
import org.incipit.tensor.Layout;

/**
 * The only CPU code that reads strides: gathering a strided view into a contiguous buffer and
 * writing a contiguous buffer into a strided view. Rows along the last axis are copied as runs
 * when that axis has stride 1.
 */
final class CpuStrided {
  private CpuStrided() {}

  static CpuBuffer copy(CpuBuffer src, Layout view) {
    int n = view.shape().numel();
    CpuBuffer out = CpuBuffer.allocate(src.dtype(), n);
    view.checkInside(src.size());
    walk(view, n, (dstIndex, srcIndex, len, stride) -> {
      if (stride == 1) {
        System.arraycopy(src.array(), srcIndex, out.array(), dstIndex, len);
      } else if (src.dtype() == DType.F32) {
        float[] s = src.f32();
        float[] d = out.f32();
        for (int i = 0; i < len; i++) {
          d[dstIndex + i] = s[srcIndex + i * stride];
        }
      } else if (src.dtype() == DType.F64) {
        double[] s = src.f64();
        double[] d = out.f64();
        for (int i = 0; i < len; i++) {
          d[dstIndex + i] = s[srcIndex + i * stride];
        }
      } else {
        for (int i = 0; i < len; i++) {
          System.arraycopy(src.array(), srcIndex + i * stride, out.array(), dstIndex + i, 1);
        }
      }
    });
    return out;
  }

  static void scatter(CpuBuffer dst, Layout view, CpuBuffer src) {
    int n = view.shape().numel();
    if (src.size() != n || src.dtype() != dst.dtype()) {
      throw new IllegalArgumentException("scatterStrided: source " + src.dtype() + "[" + src.size()
          + "] does not fill view " + view.shape() + " of a " + dst.dtype() + " buffer");
    }
    view.checkInside(dst.size());
    walk(view, n, (srcIndex, dstIndex, len, stride) -> {
      if (stride == 1) {
        System.arraycopy(src.array(), srcIndex, dst.array(), dstIndex, len);
      } else if (src.dtype() == DType.F32) {
        float[] s = src.f32();
        float[] d = dst.f32();
        for (int i = 0; i < len; i++) {
          d[dstIndex + i * stride] = s[srcIndex + i];
        }
      } else {
        for (int i = 0; i < len; i++) {
          System.arraycopy(src.array(), srcIndex + i, dst.array(), dstIndex + i * stride, 1);
        }
      }
    });
  }

  /** One run along the last axis: flat position, buffer index of its first element, length, stride. */
  private interface Run {
    void copy(int flat, int bufferIndex, int len, int stride);
  }

  /**
   * Visits the view row by row (rows along the last axis) with an odometer over the outer axes;
   * large views are split into row ranges across threads (each position is written once, so the
   * split changes nothing).
   */
  private static void walk(Layout view, int n, Run run) {
    if (n == 0) {
      return;
    }
    int rank = view.shape().rank();
    if (rank == 0) {
      run.copy(0, view.offset(), 1, 1);
      return;
    }
    int len = view.shape().dim(rank - 1);
    int rows = n / len;
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, len)), (r0, r1) -> walkRows(view, r0, r1, run));
  }

  /** Rows [r0, r1) of the view. */
  private static void walkRows(Layout view, int r0, int r1, Run run) {
    int rank = view.shape().rank();
    int[] dims = view.shape().dims();
    int[] strides = view.strides();
    int len = dims[rank - 1];
    int stride = strides[rank - 1];
    int[] idx = new int[rank - 1];
    int base = view.offset();
    for (int a = rank - 2, rest = r0; a >= 0; a--) { // the odometer at row r0
      idx[a] = rest % dims[a];
      base += idx[a] * strides[a];
      rest /= dims[a];
    }
    for (int r = r0; r < r1; r++) {
      run.copy(r * len, base, len, stride);
      for (int a = rank - 2; a >= 0; a--) {
        idx[a]++;
        base += strides[a];
        if (idx[a] < dims[a]) {
          break;
        }
        base -= strides[a] * dims[a];
        idx[a] = 0;
      }
    }
  }
}
