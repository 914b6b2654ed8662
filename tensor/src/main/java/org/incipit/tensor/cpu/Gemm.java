package org.incipit.tensor.cpu;

import java.util.Arrays;

/**
 * General matrix multiply on host arrays: C = op(A) · op(B), overwriting C (m × n, row-major,
 * leading dimension n, from cOff).
 *
 * <pre>
 *   c_ij = Σ_{p &lt; k} op(A)_ip · op(B)_pj            (k = 0 gives C = 0)
 *   op(A) = A (m × k, lda = k)  or  Aᵀ with A stored k × m (lda = m) when transA
 *   op(B) = B (k × n, ldb = n)  or  Bᵀ with B stored n × k (ldb = k) when transB
 * </pre>
 *
 * <p>sgemm runs {@link VectorSgemm} (jdk.incubator.vector) when {@link VectorSupport#AVAILABLE} and
 * the system property {@code incipit.gemm} is not {@code plain}; otherwise {@link PlainSgemm}.
 * The vector class is only loaded when selected, so the JVM runs without
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Every implementation parallelises over tiles of C only, never over k, and sums each c_ij in
 * one fixed order: results are bit-identical at every {@code incipit.threads}.
 *
 * <p>Example: {@code Gemm.sgemm(false, true, m, n, k, x, 0, w, 0, y, 0)} computes y = x·wᵀ.
 */
public final class Gemm {
  private static final boolean VECTOR = VectorSupport.AVAILABLE && !"plain".equals(System.getProperty("incipit.gemm"));

  /** dgemm blocking: k blocks of KC rows of B̃, column blocks of NC, tiles of at most MC rows. */
  private static final int KC = 128;
  private static final int MC = 32;
  private static final int NC = 512;

  private Gemm() {}

  /** Which sgemm runs: "vector" or "plain". */
  public static String sgemmImplementation() {
    return VECTOR ? "vector" : "plain";
  }

  /** Products with at most this many multiply-adds skip packing (see {@link VectorSmallGemm}). */
  static final long SMALL = 128L * 128 * 128;

  /** Small products with at least this many multiply-adds are split across threads by rows. */
  static final long SMALL_PARALLEL = 1L << 19;

  /** True when {@link #sgemm} runs a product of this size on the calling thread only. */
  public static boolean singleThreaded(int m, int n, int k) {
    return (long) m * n * k < SMALL_PARALLEL;
  }

  /** Single precision. */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    if (VECTOR && k > 0 && n < NARROW && m > n) {
      narrow(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    } else if (VECTOR && k > 0 && (long) m * n * k <= (m < FEW_ROWS && !transB ? 4 * SMALL : SMALL)) {
      if ((long) m * n * k >= SMALL_PARALLEL && m >= 16) { // split by blocks of 8 rows
        float[] bb = transB ? VectorSmallGemm.transposeB(n, k, b, bOff) : b; // once, read by every thread
        int bo = transB ? 0 : bOff;
        Parallel.range(m / 8, 1, (r0, r1) -> VectorSmallGemm.rows(transA, false, m, n, k, a, aOff, bb, bo, c, cOff,
            r0 * 8, r1 == m / 8 ? m : r1 * 8));
      } else {
        VectorSmallGemm.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
      }
    } else if (VECTOR) {
      VectorSgemm.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    } else {
      PlainSgemm.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    }
  }

  /**
   * Products with fewer rows than this (two row panels of the packed kernel) and B not transposed
   * skip packing up to 4 · {@link #SMALL} multiply-adds, one thread: packing all of B for a few rows,
   * and padding them to 8-row panels, cost more than the second thread gave (an MLP's 10-class
   * weight gradient at batch 512, 10 × 512 · 512 × 512: 199 → 139 µs). With B transposed the small
   * kernel would first transpose all of B into a scratch it keeps, so those stay packed.
   */
  static final int FEW_ROWS = 16;

  /** Outputs narrower than this many columns (less than one vector) are computed transposed. */
  static final int NARROW = 16;

  /**
   * C (m × n, n &lt; {@link #NARROW}) as the transpose of Cᵀ = op(B)ᵀ·op(A)ᵀ, whose rows are m wide, so
   * the vector lanes run along m (a 10-class output layer ran at 3 GFLOP/s one column at a time):
   * {@link VectorNarrowGemm}, over blocks of L rows in parallel. Each element is the same chain:
   * fma(b_pj, a_ip, s) = fma(a_ip, b_pj, s), the product being exact.
   */
  private static void narrow(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b,
                             int bOff, float[] c, int cOff) {
    float[] ct = new float[n * m]; // (n, m)
    float[] bt = VectorNarrowGemm.packB(transB, n, k, b, bOff); // (k, GROUP)
    int blocks = m / VectorNarrowGemm.L;
    if ((long) m * n * k >= SMALL_PARALLEL && blocks > 1) {
      Parallel.range(blocks, 1, (r0, r1) -> VectorNarrowGemm.blocks(transA, m, n, k, a, aOff, bt, ct, r0, r1));
    } else {
      VectorNarrowGemm.blocks(transA, m, n, k, a, aOff, bt, ct, 0, blocks);
    }
    VectorSgemm.untranspose(ct, m, n, c, cOff);
  }

  /**
   * Double precision, in blocked plain Java (float64 is for gradient checks, not speed): each row
   * accumulates c̃ ← c̃ + a_ip·B̃[p] + a_i,p+1·B̃[p+1] + … left to right, p ascending, without fma,
   * so every c_ij equals the naive loop {@code s = s + a_ip * b_pj} bit for bit.
   */
  public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                           double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
    if (m <= 0 || n <= 0) {
      return;
    }
    if (k <= 0) {
      Arrays.fill(c, cOff, cOff + m * n, 0.0);
      return;
    }
    double[][] bk = new double[Math.min(k, KC)][Math.min(n, NC)];
    GemmTiles.blocked(m, n, k, 1, 8, MC, NC, KC, false,
        (pc, kc, j0, j1) -> {
          for (int p = 0; p < kc; p++) {
            for (int j = j0; j < j1; j++) {
              bk[p][j - j0] = transB ? b[bOff + j * k + pc + p] : b[bOff + (pc + p) * n + j];
            }
          }
        },
        (pc, kc, jc, i0, i1, j0, j1) -> dgemmRows(transA, m, k, a, aOff, bk, pc, kc, c,
            cOff + jc, n, i0, i1, j1 - j0));
  }

  /** C[i0:i1, 0:nc] at cOff ← (pc = 0 ? 0 : C) + op(A)[i0:i1, pc:pc+kc] · B̃, row by row. */
  private static void dgemmRows(boolean transA, int m, int k, double[] a, int aOff, double[][] bk,
                                int pc, int kc, double[] c, int cOff, int n, int i0, int i1,
                                int nc) {
    double[] row = new double[nc];
    int step = transA ? m : 1;
    for (int i = i0; i < i1; i++) {
      int ci = cOff + i * n;
      if (pc == 0) {
        Arrays.fill(row, 0.0);
      } else {
        System.arraycopy(c, ci, row, 0, nc);
      }
      int ai = transA ? aOff + pc * m + i : aOff + i * k + pc;
      int p = 0;
      for (; p + 4 <= kc; p += 4) {
        int s = ai + p * step;
        axpy4(row, a[s], a[s + step], a[s + 2 * step], a[s + 3 * step],
            bk[p], bk[p + 1], bk[p + 2], bk[p + 3], nc);
      }
      for (; p < kc; p++) {
        double x = a[ai + p * step];
        double[] y = bk[p];
        for (int j = 0; j < nc; j++) {
          row[j] = row[j] + x * y[j];
        }
      }
      System.arraycopy(row, 0, c, ci, nc);
    }
  }

  /** Four k steps: c ← c + x0·y0 + x1·y1 + x2·y2 + x3·y3. */
  private static void axpy4(double[] c, double x0, double x1, double x2, double x3,
                            double[] y0, double[] y1, double[] y2, double[] y3, int nc) {
    for (int j = 0; j < nc; j++) {
      c[j] = c[j] + x0 * y0[j] + x1 * y1[j] + x2 * y2[j] + x3 * y3[j];
    }
  }
}
