package org.incipit.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM for outputs narrower than a vector (an MLP's 10-class layer: x·Wᵀ with W 10 × 512),
 * written transposed: Cᵀ (n × m) with the vector lanes along m. For a block of L rows of op(A),
 * each step p takes op(A)[i0 … i0+L, p] as one vector (a gather across L rows of a row-major A,
 * or a plain load from an A stored transposed) and adds it, times the broadcast op(B)[p, j], to
 * the accumulator of column j:
 *
 * <pre>
 *   cᵀ_ji ← fma(b_pj, a_ip, cᵀ_ji),  p = 0, 1, …, k−1
 * </pre>
 *
 * the chain of every other path (fma(b, a, s) = fma(a, b, s), the product being exact), so the
 * same bits. All n &lt; 16 columns are one group of {@value #GROUP} accumulators (the ones past n
 * compute zeros and are discarded), and op(B) is first packed p-major, {@value #GROUP} entries a
 * step, so the kernel's broadcasts read adjacent elements. A is not transposed: the earlier
 * route, the packed kernel on Cᵀ = op(B)ᵀ · op(A)ᵀ, transposed all of A and padded the n rows of
 * Cᵀ to two 8-row panels (512 × 512 · 512 × 10: 250 µs). Rows past the last whole block run the
 * scalar chain. Loaded only when {@link VectorSupport#AVAILABLE}.
 */
final class VectorNarrowGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();
  static final int GROUP = 16;

  private VectorNarrowGemm() {}

  /**
   * op(B)[:, 0:n] packed p-major, GROUP entries per step p (columns past n zero): what every row block
   * reads, packed once by the caller (k × GROUP floats).
   */
  static float[] packB(boolean transB, int n, int k, float[] b, int bOff) {
    float[] bt = new float[k * GROUP];
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < n; j++) {
        bt[p * GROUP + j] = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
      }
    }
    return bt;
  }

  /**
   * Cᵀ (n × m) for the row blocks [r0, r1) of L rows, B̃ from {@link #packB}; when r1 is the last
   * block (m / L), also the rows past it, by the scalar chain.
   */
  static void blocks(boolean transA, int m, int n, int k, float[] a, int aOff, float[] bt, float[] ct, int r0, int r1) {
    int[] rows = transA ? null : VectorSgemm.gatherOffsets(k);
    for (int r = r0; r < r1; r++) {
      block(transA, m, n, k, a, aOff, bt, ct, r * L, rows);
    }
    if (r1 == m / L) {
      for (int i = r1 * L; i < m; i++) {
        for (int j = 0; j < n; j++) {
          float s = 0f;
          for (int p = 0; p < k; p++) {
            s = Math.fma(transA ? a[aOff + p * m + i] : a[aOff + i * k + p], bt[p * GROUP + j], s);
          }
          ct[j * m + i] = s;
        }
      }
    }
  }

  /** Every column of Cᵀ for the L rows from i0: GROUP accumulators, the ones past n discarded. */
  private static void block(boolean transA, int m, int n, int k, float[] a, int aOff, float[] bt, float[] ct, int i0,
                            int[] rows) {
    FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
    for (int p = 0; p < k; p++) {
      FloatVector x = transA ? FloatVector.fromArray(S, a, aOff + p * m + i0)
          : FloatVector.fromArray(S, a, aOff + i0 * k + p, rows, 0);
      int pb = p * GROUP;
      c0 = FloatVector.broadcast(S, bt[pb + 0]).fma(x, c0);
      c1 = FloatVector.broadcast(S, bt[pb + 1]).fma(x, c1);
      c2 = FloatVector.broadcast(S, bt[pb + 2]).fma(x, c2);
      c3 = FloatVector.broadcast(S, bt[pb + 3]).fma(x, c3);
      c4 = FloatVector.broadcast(S, bt[pb + 4]).fma(x, c4);
      c5 = FloatVector.broadcast(S, bt[pb + 5]).fma(x, c5);
      c6 = FloatVector.broadcast(S, bt[pb + 6]).fma(x, c6);
      c7 = FloatVector.broadcast(S, bt[pb + 7]).fma(x, c7);
      c8 = FloatVector.broadcast(S, bt[pb + 8]).fma(x, c8);
      c9 = FloatVector.broadcast(S, bt[pb + 9]).fma(x, c9);
      c10 = FloatVector.broadcast(S, bt[pb + 10]).fma(x, c10);
      c11 = FloatVector.broadcast(S, bt[pb + 11]).fma(x, c11);
      c12 = FloatVector.broadcast(S, bt[pb + 12]).fma(x, c12);
      c13 = FloatVector.broadcast(S, bt[pb + 13]).fma(x, c13);
      c14 = FloatVector.broadcast(S, bt[pb + 14]).fma(x, c14);
      c15 = FloatVector.broadcast(S, bt[pb + 15]).fma(x, c15);
    }
    c0.intoArray(ct, i0);
    if (n > 1) {
      c1.intoArray(ct, 1 * m + i0);
    }
    if (n > 2) {
      c2.intoArray(ct, 2 * m + i0);
    }
    if (n > 3) {
      c3.intoArray(ct, 3 * m + i0);
    }
    if (n > 4) {
      c4.intoArray(ct, 4 * m + i0);
    }
    if (n > 5) {
      c5.intoArray(ct, 5 * m + i0);
    }
    if (n > 6) {
      c6.intoArray(ct, 6 * m + i0);
    }
    if (n > 7) {
      c7.intoArray(ct, 7 * m + i0);
    }
    if (n > 8) {
      c8.intoArray(ct, 8 * m + i0);
    }
    if (n > 9) {
      c9.intoArray(ct, 9 * m + i0);
    }
    if (n > 10) {
      c10.intoArray(ct, 10 * m + i0);
    }
    if (n > 11) {
      c11.intoArray(ct, 11 * m + i0);
    }
    if (n > 12) {
      c12.intoArray(ct, 12 * m + i0);
    }
    if (n > 13) {
      c13.intoArray(ct, 13 * m + i0);
    }
    if (n > 14) {
      c14.intoArray(ct, 14 * m + i0);
    }
    if (n > 15) {
      c15.intoArray(ct, 15 * m + i0);
    }
  }
}
