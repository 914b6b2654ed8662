package org.incipit.tensor.cpu;

import org.incipit.tensor.DType;

/**
 * The fused softmax of attention scores on the CPU backend: softmax(s·x + mask) per row, where the
 * mask is −∞ above the causal diagonal. Each row is first written as the composite would see it —
 * s·xⱼ rounded to the buffer's precision, −∞ where masked — then normalised in place by
 * {@link CpuSoftmax}'s row kernel, so the result equals the composite
 * {@code softmax(x.mul(s).maskedFill(mask, −∞))} bit for bit. Rows are independent, so the thread
 * count changes nothing.
 */
final class CpuScaledSoftmax {
  private CpuScaledSoftmax() {}

  /**
   * Rows of {@code cols} scores; with {@code causal} row r is query position i = r mod t, which
   * sees columns j ≤ i (as {@code Functional.causalMask}).
   */
  static CpuBuffer rows(CpuBuffer x, int rows, int cols, int t, boolean causal, double scale) {
    CpuBuffer out = CpuBuffer.allocate(x.dtype(), rows * cols);
    boolean f32 = x.dtype() == DType.F32;
    CpuElementwise.UnaryLoop exp = f32 ? CpuElementwise.fastLoop("exp") : null;
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, cols)), (from, to) -> {
      for (int r = from; r < to; r++) {
        int start = r * cols;
        int visible = causal ? Math.min(cols, r % t + 1) : cols;
        if (f32) {
          float[] a = x.f32();
          float[] o = out.f32();
          float fs = (float) scale;
          for (int j = 0; j < cols; j++) {
            o[start + j] = j < visible ? a[start + j] * fs : Float.NEGATIVE_INFINITY;
          }
          CpuSoftmax.rowF32(o, o, start, cols, false, exp);
        } else {
          double[] a = x.f64();
          double[] o = out.f64();
          for (int j = 0; j < cols; j++) {
            o[start + j] = j < visible ? a[start + j] * scale : Double.NEGATIVE_INFINITY;
          }
          CpuSoftmax.rowF64(o, o, start, cols, false);
        }
      }
    });
    return out;
  }
}
