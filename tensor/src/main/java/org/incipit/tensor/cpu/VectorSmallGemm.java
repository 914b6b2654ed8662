package org.incipit.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM for small products (the per-head matrices of attention: 64 × 32 · 32 × 64) without the
 * packing of {@link VectorSgemm}, which dominates at these sizes. Row i of C is built a vector of
 * columns at a time as c ← fma(a_ip, B[p, j…], c) for p ascending — the same chain per element as
 * the big kernel and as {@code s = Math.fma(a_ip, b_pj, s)}, so results are bit-identical to them.
 * With transB, B is first transposed into a scratch k × n array (a vector gather per L rows of B
 * and step p: an MLP's 10-class x·Wᵀ, 128 × 512 · 512 × 10, took 193 µs with a scalar transpose,
 * 46 µs so). A call is single-threaded; {@link Gemm} splits one product by rows, and the CPU
 * backend runs a batch in parallel.
 */
final class VectorSmallGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  private VectorSmallGemm() {}

  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                    float[] c, int cOff) {
    rows(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, 0, m);
  }

  /**
   * B stored n × k (transB) as a k × n array at offset 0: this thread's scratch, valid until its
   * next call. A caller that splits one product across threads transposes once and passes the
   * result to {@link #rows} with transB false.
   */
  static float[] transposeB(int n, int k, float[] b, int bOff) {
    float[] t = SCRATCH.get();
    if (t.length < k * n) {
      t = new float[k * n];
      SCRATCH.set(t);
    }
    int[] rows = VectorSgemm.gatherOffsets(k);
    int j = 0;
    for (; j + L <= n; j += L) { // L rows of B at a time: a gather per step p fills L adjacent columns of the result
      for (int p = 0, src = bOff + j * k; p < k; p++) {
        FloatVector.fromArray(S, b, src + p, rows, 0).intoArray(t, p * n + j);
      }
    }
    for (; j < n; j++) {
      for (int p = 0; p < k; p++) {
        t[p * n + j] = b[bOff + j * k + p];
      }
    }
    return t;
  }

  /** Rows [i0, i1) of C only (callers split a product across threads by rows). */
  static void rows(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                   float[] c, int cOff, int i0, int i1) {
    float[] bb = transB ? transposeB(n, k, b, bOff) : b;
    int bo = transB ? 0 : bOff;
    int i = i0;
    for (; i + 4 <= i1; i += 4) { // 4 rows × 2 vectors: 8 independent fma chains in registers
      int j = 0;
      for (; j + 2 * L <= n; j += 2 * L) {
        quad(transA, m, k, a, aOff, bb, bo, n, c, cOff, i, j);
      }
      for (int r = i; r < i + 4; r++) {
        row(transA, m, k, a, aOff, bb, bo, n, c, cOff, r, j);
      }
    }
    for (; i < i1; i++) {
      row(transA, m, k, a, aOff, bb, bo, n, c, cOff, i, 0);
    }
  }

  private static float at(boolean transA, int m, int k, float[] a, int aOff, int i, int p) {
    return transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
  }

  /** C[i..i+4, j..j+2L] by 8 fma chains over p ascending. */
  private static void quad(boolean transA, int m, int k, float[] a, int aOff, float[] b, int bo, int n, float[] c,
                           int cOff, int i, int j) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    for (int p = 0; p < k; p++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bo + p * n + j);
      FloatVector b1 = FloatVector.fromArray(S, b, bo + p * n + j + L);
      FloatVector a0 = FloatVector.broadcast(S, at(transA, m, k, a, aOff, i, p));
      FloatVector a1 = FloatVector.broadcast(S, at(transA, m, k, a, aOff, i + 1, p));
      FloatVector a2 = FloatVector.broadcast(S, at(transA, m, k, a, aOff, i + 2, p));
      FloatVector a3 = FloatVector.broadcast(S, at(transA, m, k, a, aOff, i + 3, p));
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
    }
    int ci = cOff + i * n + j;
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + n);
    c11.intoArray(c, ci + n + L);
    c20.intoArray(c, ci + 2 * n);
    c21.intoArray(c, ci + 2 * n + L);
    c30.intoArray(c, ci + 3 * n);
    c31.intoArray(c, ci + 3 * n + L);
  }

  /**
   * C[i, j0..n] one vector of columns at a time; the last n mod L columns one at a time with
   * Math.fma, the same chain (masked vector loads fall back to Java code in C2 on JDK 17: the
   * 10-column output layer of an MLP ran 20× slower through them).
   */
  private static void row(boolean transA, int m, int k, float[] a, int aOff, float[] b, int bo, int n, float[] c,
                          int cOff, int i, int j0) {
    int ci = cOff + i * n;
    int j = j0;
    for (; j <= n - L; j += L) {
      FloatVector acc = FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        acc = FloatVector.broadcast(S, at(transA, m, k, a, aOff, i, p)).fma(FloatVector.fromArray(S, b, bo + p * n + j), acc);
      }
      acc.intoArray(c, ci + j);
    }
    for (; j < n; j++) {
      float acc = 0f;
      for (int p = 0; p < k; p++) {
        acc = Math.fma(at(transA, m, k, a, aOff, i, p), b[bo + p * n + j], acc);
      }
      c[ci + j] = acc;
    }
  }
}
