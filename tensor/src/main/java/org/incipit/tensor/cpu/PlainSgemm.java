package org.incipit.tensor.cpu;

import java.util.Arrays;

/**
 * Single-precision GEMM in plain Java loops that C2 auto-vectorises: C = op(A) · op(B).
 *
 * <pre>
 *   c_ij = Σ_p a_ip · b_pj,   summed as one fused chain  c ← fma(a_ip, b_pj, c),  p = 0, 1, …, k−1
 *
 *   for each column block [jc, jc + nc), nc ≤ NC                         (GemmTiles.blocked)
 *     for pc = 0, KC, 2·KC, … &lt; k                         (in order: k is never split)
 *       B̃[p] ← op(B)[pc + p, jc : jc+nc]        one array per row of the k block
 *       for each row i (row blocks in parallel):
 *         c̃ ← C[i, jc : jc+nc]  (0 when pc = 0)
 *         c̃ ← fma(a_i,p+3, B̃[p+3], fma(a_i,p+2, B̃[p+2], fma(a_i,p+1, B̃[p+1], fma(a_i,p, B̃[p], c̃))))   (p += 4)
 *         C[i, jc : jc+nc] ← c̃
 * </pre>
 *
 * <p>The inner loop reads five arrays and writes one, all from index 0, with a small body: that
 * is the shape C2's SuperWord reliably turns into vector code ({@code Math.fma} becomes a vector
 * fma). Each c_ij is the chain {@code s = Math.fma(a_ip, b_pj, s)}, p ascending, at every tiling
 * and thread count: the same bits as {@link VectorSgemm} and {@link VectorSmallGemm}, so a product
 * does not depend on whether the Vector API is present ({@code GemmTest}).
 *
 * <p>Public for benchmarks; callers should go through {@link Gemm}.
 */
public final class PlainSgemm {
  /** Blocks, measured on a 2-core Zen 4: B̃ is KC × NC (512 KiB), row blocks of at most MC. */
  static final int KC = 256;
  static final int MC = 64;
  static final int NC = 512;

  /** Per-thread accumulator row. */
  private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[NC]);

  /** The caller's B̃, shared by the tiles; taken while in use, so a nested call gets a new one. */
  private static final ThreadLocal<float[][]> PACKED_B = new ThreadLocal<>();

  private PlainSgemm() {}

  /** C = op(A) · op(B), overwriting C; arguments as {@link Gemm#sgemm}. */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    if (m <= 0 || n <= 0) {
      return;
    }
    if (k <= 0) {
      Arrays.fill(c, cOff, cOff + m * n, 0f);
      return;
    }
    float[][] bk = PACKED_B.get();
    PACKED_B.remove();
    if (bk == null) {
      bk = new float[KC][NC];
    }
    float[][] packed = bk;
    GemmTiles.blocked(m, n, k, 1, 16, MC, NC, KC, false,
        (pc, kc, j0, j1) -> packB(transB, n, k, b, bOff, pc, kc, j0, j1, packed),
        (pc, kc, jc, i0, i1, j0, j1) -> tile(transA, m, k, a, aOff, packed, pc, kc, c, cOff, n,
            i0, i1, j1 - j0, jc));
    PACKED_B.set(bk);
  }

  /** C[i0:i1, jc:jc+nc] ← (pc = 0 ? 0 : C) + op(A)[i0:i1, pc:pc+kc] · B̃, row by row. */
  static void tile(boolean transA, int m, int k, float[] a, int aOff, float[][] bk, int pc, int kc,
                   float[] c, int cOff, int n, int i0, int i1, int nc, int jc) {
    float[] acc = ROW.get();
    int step = transA ? m : 1;
    for (int i = i0; i < i1; i++) {
      int ci = cOff + i * n + jc;
      if (pc == 0) {
        Arrays.fill(acc, 0, nc, 0f);
      } else {
        System.arraycopy(c, ci, acc, 0, nc);
      }
      row(acc, bk, a, transA ? aOff + pc * m + i : aOff + i * k + pc, step, kc, nc);
      System.arraycopy(acc, 0, c, ci, nc);
    }
  }

  /** c̃ ← c̃ + Σ_p a[ai + p·step]·B̃[p] over one k block, p ascending. */
  private static void row(float[] acc, float[][] bk, float[] a, int ai, int step, int kc, int nc) {
    int p = 0;
    for (; p + 4 <= kc; p += 4) {
      int s = ai + p * step;
      axpy4(acc, a[s], a[s + step], a[s + 2 * step], a[s + 3 * step],
          bk[p], bk[p + 1], bk[p + 2], bk[p + 3], nc);
    }
    for (; p < kc; p++) {
      axpy1(acc, a[ai + p * step], bk[p], nc);
    }
  }

  /** Four k steps: c ← fma(x3, y3, fma(x2, y2, fma(x1, y1, fma(x0, y0, c)))). */
  private static void axpy4(float[] c, float x0, float x1, float x2, float x3,
                            float[] y0, float[] y1, float[] y2, float[] y3, int nc) {
    for (int j = 0; j < nc; j++) {
      c[j] = Math.fma(x3, y3[j], Math.fma(x2, y2[j], Math.fma(x1, y1[j], Math.fma(x0, y0[j], c[j]))));
    }
  }

  /** One k step: c ← fma(x, y, c). */
  private static void axpy1(float[] c, float x, float[] y, int nc) {
    for (int j = 0; j < nc; j++) {
      c[j] = Math.fma(x, y[j], c[j]);
    }
  }

  /** B̃[p][q] ← op(B)[pc + p, j0 + q] for p &lt; kc, q &lt; j1 − j0. */
  private static void packB(boolean transB, int n, int k, float[] b, int bOff, int pc, int kc,
                            int j0, int j1, float[][] dst) {
    if (!transB) {
      for (int p = 0; p < kc; p++) {
        System.arraycopy(b, bOff + (pc + p) * n + j0, dst[p], 0, j1 - j0);
      }
      return;
    }
    for (int j = j0; j < j1; j++) {
      int src = bOff + j * k + pc;
      for (int p = 0; p < kc; p++) {
        dst[p][j - j0] = b[src + p];
      }
    }
  }
}
