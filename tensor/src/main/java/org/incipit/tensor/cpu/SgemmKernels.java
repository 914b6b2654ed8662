package org.incipit.tensor.cpu;

import static jdk.incubator.vector.FloatVector.fromArray;
import static org.incipit.tensor.cpu.VectorSgemm.MR;
import static org.incipit.tensor.cpu.VectorSgemm.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link VectorSgemm}: C[MR × NR] ← C + A_panel · B̃_panel over one k block,
 * c ← fma(a_ip, b_pj, c) for p ascending, with A read in place (row r at a[ai + r·lda], adjacent
 * elements) or from panels packed p-major. The two-vector variants serve 2L-column edges; all
 * compute each c_ij as the same chain, so the choice never changes a bit.
 */
final class SgemmKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int L2 = 2 * L;

  private SgemmKernels() {}

  /**
   * The 8 × 3-vector micro-kernel: C[8 × NR] at ci ← C + Σ_p A[:, p] ⊗ B̃[p, :], one fma per
   * element per p, p ascending; row r of A at a[ai + r·lda], read in place (a row-major A needs no
   * packing: eight sequential streams, and the p loop's index has unit stride, so C2 drops its
   * range checks — a variable stride made C2 compile it 1.5× slower in some runs). The 24
   * accumulators stay in registers; stores are written out (not in a helper) so that C2 never
   * boxes a vector when it stops inlining in a big method.
   */
  static void kernel(int kc, float[] a, int ai, int lda, float[] bp, int bi, float[] c, int ci, int ldc) {
    int a0 = ai, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    int a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
    int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
    int r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
    FloatVector c00 = fromArray(S, c, r0), c01 = fromArray(S, c, r0 + L), c02 = fromArray(S, c, r0 + L2);
    FloatVector c10 = fromArray(S, c, r1), c11 = fromArray(S, c, r1 + L), c12 = fromArray(S, c, r1 + L2);
    FloatVector c20 = fromArray(S, c, r2), c21 = fromArray(S, c, r2 + L), c22 = fromArray(S, c, r2 + L2);
    FloatVector c30 = fromArray(S, c, r3), c31 = fromArray(S, c, r3 + L), c32 = fromArray(S, c, r3 + L2);
    FloatVector c40 = fromArray(S, c, r4), c41 = fromArray(S, c, r4 + L), c42 = fromArray(S, c, r4 + L2);
    FloatVector c50 = fromArray(S, c, r5), c51 = fromArray(S, c, r5 + L), c52 = fromArray(S, c, r5 + L2);
    FloatVector c60 = fromArray(S, c, r6), c61 = fromArray(S, c, r6 + L), c62 = fromArray(S, c, r6 + L2);
    FloatVector c70 = fromArray(S, c, r7), c71 = fromArray(S, c, r7 + L), c72 = fromArray(S, c, r7 + L2);
    for (int p = 0; p < kc; p++) {
      int pb = bi + p * NR;
      FloatVector b0 = fromArray(S, bp, pb);
      FloatVector b1 = fromArray(S, bp, pb + L);
      FloatVector b2 = fromArray(S, bp, pb + L2);
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
      x = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42);
      x = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52);
      x = FloatVector.broadcast(S, a[a6 + p]);
      c60 = x.fma(b0, c60); c61 = x.fma(b1, c61); c62 = x.fma(b2, c62);
      x = FloatVector.broadcast(S, a[a7 + p]);
      c70 = x.fma(b0, c70); c71 = x.fma(b1, c71); c72 = x.fma(b2, c72);
    }
    c00.intoArray(c, r0); c01.intoArray(c, r0 + L); c02.intoArray(c, r0 + L2);
    c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + L2);
    c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + L2);
    c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + L2);
    c40.intoArray(c, r4); c41.intoArray(c, r4 + L); c42.intoArray(c, r4 + L2);
    c50.intoArray(c, r5); c51.intoArray(c, r5 + L); c52.intoArray(c, r5 + L2);
    c60.intoArray(c, r6); c61.intoArray(c, r6 + L); c62.intoArray(c, r6 + L2);
    c70.intoArray(c, r7); c71.intoArray(c, r7 + L); c72.intoArray(c, r7 + L2);
  }

  /**
   * {@link #kernel} for the first two vectors of the panel only (a 2L-column edge, zero-padded to
   * NR in B̃): the same chain per element, without the scratch tile and the third vector's
   * wasted work.
   */
  static void kernel2(int kc, float[] a, int ai, int lda, float[] bp, int bi, float[] c, int ci, int ldc) {
    int a0 = ai, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    int a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
    int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
    int r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
    FloatVector c00 = fromArray(S, c, r0), c01 = fromArray(S, c, r0 + L);
    FloatVector c10 = fromArray(S, c, r1), c11 = fromArray(S, c, r1 + L);
    FloatVector c20 = fromArray(S, c, r2), c21 = fromArray(S, c, r2 + L);
    FloatVector c30 = fromArray(S, c, r3), c31 = fromArray(S, c, r3 + L);
    FloatVector c40 = fromArray(S, c, r4), c41 = fromArray(S, c, r4 + L);
    FloatVector c50 = fromArray(S, c, r5), c51 = fromArray(S, c, r5 + L);
    FloatVector c60 = fromArray(S, c, r6), c61 = fromArray(S, c, r6 + L);
    FloatVector c70 = fromArray(S, c, r7), c71 = fromArray(S, c, r7 + L);
    for (int p = 0; p < kc; p++) {
      int pb = bi + p * NR;
      FloatVector b0 = fromArray(S, bp, pb);
      FloatVector b1 = fromArray(S, bp, pb + L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[a6 + p]);
      c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[a7 + p]);
      c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
    }
    c00.intoArray(c, r0); c01.intoArray(c, r0 + L);
    c10.intoArray(c, r1); c11.intoArray(c, r1 + L);
    c20.intoArray(c, r2); c21.intoArray(c, r2 + L);
    c30.intoArray(c, r3); c31.intoArray(c, r3 + L);
    c40.intoArray(c, r4); c41.intoArray(c, r4 + L);
    c50.intoArray(c, r5); c51.intoArray(c, r5 + L);
    c60.intoArray(c, r6); c61.intoArray(c, r6 + L);
    c70.intoArray(c, r7); c71.intoArray(c, r7 + L);
  }

  /**
   * {@link #kernel} over a panel packed by {@link VectorSgemm#packPanels}: row r at step p is ap[ai + p·MR + r].
   * A separate method because its A index has stride MR (a stride passed as a variable made C2
   * compile the loop 1.5× slower in some runs).
   */
  static void panelKernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
    int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
    int r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
    FloatVector c00 = fromArray(S, c, r0), c01 = fromArray(S, c, r0 + L), c02 = fromArray(S, c, r0 + L2);
    FloatVector c10 = fromArray(S, c, r1), c11 = fromArray(S, c, r1 + L), c12 = fromArray(S, c, r1 + L2);
    FloatVector c20 = fromArray(S, c, r2), c21 = fromArray(S, c, r2 + L), c22 = fromArray(S, c, r2 + L2);
    FloatVector c30 = fromArray(S, c, r3), c31 = fromArray(S, c, r3 + L), c32 = fromArray(S, c, r3 + L2);
    FloatVector c40 = fromArray(S, c, r4), c41 = fromArray(S, c, r4 + L), c42 = fromArray(S, c, r4 + L2);
    FloatVector c50 = fromArray(S, c, r5), c51 = fromArray(S, c, r5 + L), c52 = fromArray(S, c, r5 + L2);
    FloatVector c60 = fromArray(S, c, r6), c61 = fromArray(S, c, r6 + L), c62 = fromArray(S, c, r6 + L2);
    FloatVector c70 = fromArray(S, c, r7), c71 = fromArray(S, c, r7 + L), c72 = fromArray(S, c, r7 + L2);
    for (int p = 0; p < kc; p++) {
      int pa = ai + p * MR, pb = bi + p * NR;
      FloatVector b0 = fromArray(S, bp, pb);
      FloatVector b1 = fromArray(S, bp, pb + L);
      FloatVector b2 = fromArray(S, bp, pb + L2);
      FloatVector x = FloatVector.broadcast(S, ap[pa]);
      c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
      x = FloatVector.broadcast(S, ap[pa + 1]);
      c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
      x = FloatVector.broadcast(S, ap[pa + 2]);
      c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
      x = FloatVector.broadcast(S, ap[pa + 3]);
      c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
      x = FloatVector.broadcast(S, ap[pa + 4]);
      c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42);
      x = FloatVector.broadcast(S, ap[pa + 5]);
      c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52);
      x = FloatVector.broadcast(S, ap[pa + 6]);
      c60 = x.fma(b0, c60); c61 = x.fma(b1, c61); c62 = x.fma(b2, c62);
      x = FloatVector.broadcast(S, ap[pa + 7]);
      c70 = x.fma(b0, c70); c71 = x.fma(b1, c71); c72 = x.fma(b2, c72);
    }
    c00.intoArray(c, r0); c01.intoArray(c, r0 + L); c02.intoArray(c, r0 + L2);
    c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + L2);
    c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + L2);
    c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + L2);
    c40.intoArray(c, r4); c41.intoArray(c, r4 + L); c42.intoArray(c, r4 + L2);
    c50.intoArray(c, r5); c51.intoArray(c, r5 + L); c52.intoArray(c, r5 + L2);
    c60.intoArray(c, r6); c61.intoArray(c, r6 + L); c62.intoArray(c, r6 + L2);
    c70.intoArray(c, r7); c71.intoArray(c, r7 + L); c72.intoArray(c, r7 + L2);
  }

  /** {@link #kernel2} over a panel packed by {@link VectorSgemm#packPanels}. */
  static void panelKernel2(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
    int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
    int r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
    FloatVector c00 = fromArray(S, c, r0), c01 = fromArray(S, c, r0 + L);
    FloatVector c10 = fromArray(S, c, r1), c11 = fromArray(S, c, r1 + L);
    FloatVector c20 = fromArray(S, c, r2), c21 = fromArray(S, c, r2 + L);
    FloatVector c30 = fromArray(S, c, r3), c31 = fromArray(S, c, r3 + L);
    FloatVector c40 = fromArray(S, c, r4), c41 = fromArray(S, c, r4 + L);
    FloatVector c50 = fromArray(S, c, r5), c51 = fromArray(S, c, r5 + L);
    FloatVector c60 = fromArray(S, c, r6), c61 = fromArray(S, c, r6 + L);
    FloatVector c70 = fromArray(S, c, r7), c71 = fromArray(S, c, r7 + L);
    for (int p = 0; p < kc; p++) {
      int pa = ai + p * MR, pb = bi + p * NR;
      FloatVector b0 = fromArray(S, bp, pb);
      FloatVector b1 = fromArray(S, bp, pb + L);
      FloatVector x = FloatVector.broadcast(S, ap[pa]);
      c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[pa + 1]);
      c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[pa + 2]);
      c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[pa + 3]);
      c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[pa + 4]);
      c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[pa + 5]);
      c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, ap[pa + 6]);
      c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, ap[pa + 7]);
      c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
    }
    c00.intoArray(c, r0); c01.intoArray(c, r0 + L);
    c10.intoArray(c, r1); c11.intoArray(c, r1 + L);
    c20.intoArray(c, r2); c21.intoArray(c, r2 + L);
    c30.intoArray(c, r3); c31.intoArray(c, r3 + L);
    c40.intoArray(c, r4); c41.intoArray(c, r4 + L);
    c50.intoArray(c, r5); c51.intoArray(c, r5 + L);
    c60.intoArray(c, r6); c61.intoArray(c, r6 + L);
    c70.intoArray(c, r7); c71.intoArray(c, r7 + L);
  }
}
