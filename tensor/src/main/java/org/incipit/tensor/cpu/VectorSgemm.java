package org.incipit.tensor.cpu;

import static jdk.incubator.vector.FloatVector.fromArray;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on the Vector API, BLIS-style: C = op(A) · op(B), overwriting C.
 *
 * <pre>
 *   c_ij = Σ_p a_ip · b_pj,  summed as one fused chain  c ← fma(a_ip, b_pj, c),  p = 0, 1, …, k−1
 *
 *   for each column block [jc, jc + nc), nc ≤ NC                        (GemmTiles.blocked)
 *     for pc = 0, KC, 2·KC, … &lt; k                        (in order: k is never split)
 *       B̃ ← op(B)[pc : pc+kc, jc : jc+nc]   NR-column micro-panels of kc × NR, by the caller
 *       for each tile of the block, in parallel (one thread per tile):
 *         Ã ← op(A)[tile rows, pc : pc+kc]  MR-row micro-panels, kc columns of MR each
 *         for each NR panel, for each MR panel:   C[MR × NR] ← C + Ã_panel · B̃_panel
 * </pre>
 *
 * <p>The micro-kernel keeps an MR × NR = 8 × (3 vectors) block of C in 24 registers (48 floats
 * wide with AVX-512); each step p loads 3 vectors of B̃, broadcasts 8 values of Ã and issues 24
 * FMAs. A tile of C is zeroed on the first k block and every k block resumes the chain from C;
 * edge micro-tiles (fewer than MR rows or NR columns) run the same kernel on a scratch tile over
 * zero-padded panels. So every c_ij is the same fma chain whatever the tiling, the blocking or the
 * thread count: results are bit-identical, and equal the scalar loop
 * {@code s = Math.fma(a_ip, b_pj, s)}.
 *
 * <p>Public for benchmarks; callers should go through {@link Gemm}, which loads this class only
 * when the module {@code jdk.incubator.vector} is in the boot layer (elsewhere it fails with
 * NoClassDefFoundError).
 */
public final class VectorSgemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int L2 = 2 * L;
  /** Micro-tile: MR rows × NR columns; 8 × 3 vectors beat 6×2, 8×2, 12×2, 14×2, 4×4 and 6×4. */
  static final int MR = 8;
  static final int NR = 3 * L;
  /**
   * Blocks, measured on this project's 2-core Zen 5 VM (SgemmBenchmark and the shapes of a training
   * step): long k blocks, which halve the passes over C, beat 256 × 144 by 15–30 % at n = 1024 and
   * on the MLP's and GPT's products; Ã block MC × KC = 96 KiB in L2.
   */
  static final int KC = 512;
  static final int MC = 48;
  static final int NC = 22 * NR;

  /** Per-thread buffers for Ã and an edge tile, reused across calls. */
  private static final class Workspace {
    final float[] a = new float[MC * KC];
    final float[] edge = new float[MR * NR];
  }

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  /** The caller's B̃, shared by the tiles; taken while in use, so a nested call gets a new one. */
  private static final ThreadLocal<float[]> PACKED_B = new ThreadLocal<>();

  private VectorSgemm() {}

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
    int threads = Parallel.threads();
    if (threads > 1 && (long) m * n * k >= COLUMN_SPLIT_WORK && n >= threads * 2 * NR) {
      // Large products: each thread takes whole column slices of C, packs its own B̃ and runs every
      // k block and row tile of them — no barrier per k block, no thread waiting on the packing.
      int slice = GemmTiles.roundUp(GemmTiles.ceilDiv(n, threads), NR);
      int slices = GemmTiles.ceilDiv(n, slice);
      Parallel.range(slices, 1, (s0, s1) -> {
        for (int s = s0; s < s1; s++) {
          columns(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, s * slice, Math.min(n, (s + 1) * slice), false);
        }
      });
      return;
    }
    columns(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, 0, n, true);
  }

  /** Products with at least this many multiply-adds are split across threads by column slices. */
  static final long COLUMN_SPLIT_WORK = 1L << 26;

  /** C[:, j0:j1] through the blocked loop nest, tiles in parallel only when {@code parallelTiles}. */
  private static void columns(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b,
                              int bOff, float[] c, int cOff, int j0, int j1, boolean parallelTiles) {
    float[] bp = PACKED_B.get();
    PACKED_B.remove();
    if (bp == null) {
      bp = new float[KC * NC];
    }
    float[] packed = bp;
    boolean parallelPack = parallelTiles && (long) m * (j1 - j0) * Math.min(k, KC) >= GemmTiles.PARALLEL_MIN_WORK;
    GemmTiles.blocked(m, j0, j1, k, MR, NR, MC, NC, KC, true, parallelTiles,
        (pc, kc, p0, p1) -> {
          if (parallelPack) { // the panels are disjoint slices of B̃, so the split changes nothing
            Parallel.range(GemmTiles.ceilDiv(p1 - p0, NR), 1, (q0, q1) -> packB(transB, n, k, b, bOff, pc, kc,
                p0 + q0 * NR, Math.min(p1, p0 + q1 * NR), packed, q0 * NR * kc));
          } else {
            packB(transB, n, k, b, bOff, pc, kc, p0, p1, packed, 0);
          }
        },
        (pc, kc, jc, i0, i1, q0, q1) -> tile(transA, m, k, a, aOff, packed, (q0 - jc) * kc, pc, kc,
            c, cOff, n, i0, i1, q0, q1));
    PACKED_B.set(bp);
  }

  /**
   * C[i0:i1, j0:j1] ← (pc = 0 ? 0 : C) + op(A)[i0:i1, pc:pc+kc] · B̃, the tile's NR-panels of B̃
   * starting at bp[bi].
   */
  static void tile(boolean transA, int m, int k, float[] a, int aOff, float[] bp, int bi, int pc,
                   int kc, float[] c, int cOff, int n, int i0, int i1, int j0, int j1) {
    Workspace w = WORKSPACE.get();
    if (pc == 0) {
      for (int i = i0; i < i1; i++) {
        Arrays.fill(c, cOff + i * n + j0, cOff + i * n + j1, 0f);
      }
    }
    for (int ic = i0; ic < i1; ic += MC) {
      int mc = Math.min(MC, i1 - ic);
      packA(transA, m, k, a, aOff, pc, kc, ic, ic + mc, w.a);
      block(w, bp, bi, kc, mc, j1 - j0, c, cOff + ic * n + j0, n);
    }
  }

  /** C[mc × nc] at ci (leading dimension ldc) ← C + Ã · B̃ over one k block of length kc. */
  private static void block(Workspace w, float[] bp, int bi, int kc, int mc, int nc, float[] c,
                            int ci, int ldc) {
    for (int jr = 0; jr < nc; jr += NR) {
      int cols = Math.min(NR, nc - jr);
      for (int ir = 0; ir < mc; ir += MR) {
        int rows = Math.min(MR, mc - ir);
        int at = ci + ir * ldc + jr;
        if (rows == MR && cols == NR) {
          kernel(kc, w.a, ir * kc, bp, bi + jr * kc, c, at, ldc);
        } else if (rows == MR && cols == L2) { // a 32-column edge (n = 128 = 48 + 48 + 32): two vectors, on C itself
          kernel2(kc, w.a, ir * kc, bp, bi + jr * kc, c, at, ldc);
        } else {
          edge(kc, w, ir * kc, bp, bi + jr * kc, c, at, ldc, rows, cols);
        }
      }
    }
  }

  /** A partial micro-tile (rows × cols) through the full kernel on the MR × NR scratch tile. */
  private static void edge(int kc, Workspace w, int ai, float[] bp, int bi, float[] c, int at,
                           int ldc, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(c, at + r * ldc, w.edge, r * NR, cols);
    }
    kernel(kc, w.a, ai, bp, bi, w.edge, 0, NR);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(w.edge, r * NR, c, at + r * ldc, cols);
    }
  }

  /**
   * The 8 × 3-vector micro-kernel: C[8 × NR] at ci ← C + Σ_p Ã[:, p] ⊗ B̃[p, :], one fma per
   * element per p, p ascending. The 24 accumulators stay in registers; stores are written out
   * (not in a helper) so that C2 never boxes a vector when it stops inlining in a big method.
   */
  static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
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

  /**
   * {@link #kernel} for the first two vectors of the panel only (a 2L-column edge, zero-padded to
   * NR in B̃): the same chain per element, without the scratch tile and the third vector's
   * wasted work.
   */
  static void kernel2(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
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

  /**
   * Packs op(A)[i0:i1, pc:pc+kc] into MR-row micro-panels: element (i0 + ir + r, pc + p) goes to
   * dst[ir·kc + p·MR + r]; rows past i1 are zero.
   */
  static void packA(boolean transA, int m, int k, float[] a, int aOff, int pc, int kc,
                    int i0, int i1, float[] dst) {
    for (int ir = 0; i0 + ir < i1; ir += MR) {
      int rows = Math.min(MR, i1 - i0 - ir);
      int base = ir * kc;
      if (rows < MR) {
        Arrays.fill(dst, base, base + kc * MR, 0f);
      }
      if (transA) { // A stored k × m: the panel's rows at step p are adjacent, so copy them as a run
        for (int p = 0, src = aOff + pc * m + i0 + ir; p < kc; p++, src += m) {
          System.arraycopy(a, src, dst, base + p * MR, rows);
        }
      } else {
        for (int r = 0; r < rows; r++) {
          for (int p = 0, src = aOff + (i0 + ir + r) * k + pc; p < kc; p++) {
            dst[base + p * MR + r] = a[src + p];
          }
        }
      }
    }
  }

  /**
   * Packs op(B)[pc:pc+kc, j0:j1] into NR-column micro-panels: element (pc + p, j0 + jr + q) goes
   * to dst[dOff + jr·kc + p·NR + q]; columns past j1 are zero.
   */
  static void packB(boolean transB, int n, int k, float[] b, int bOff, int pc, int kc,
                    int j0, int j1, float[] dst, int dOff) {
    for (int jr = 0; j0 + jr < j1; jr += NR) {
      int cols = Math.min(NR, j1 - j0 - jr);
      int base = dOff + jr * kc;
      if (cols < NR) {
        Arrays.fill(dst, base, base + kc * NR, 0f);
      }
      if (transB) { // a transpose, in blocks of 16 steps so the panel rows being written stay in L1
        for (int p0 = 0; p0 < kc; p0 += 16) {
          int p1 = Math.min(kc, p0 + 16);
          for (int q = 0; q < cols; q++) {
            int src = bOff + (j0 + jr + q) * k + pc;
            for (int p = p0; p < p1; p++) {
              dst[base + p * NR + q] = b[src + p];
            }
          }
        }
      } else {
        for (int p = 0; p < kc; p++) {
          System.arraycopy(b, bOff + (pc + p) * n + j0 + jr, dst, base + p * NR, cols);
        }
      }
    }
  }
}
