package org.incipit.tensor.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
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
 *         A block = op(A)[tile rows (MC at a time), pc : pc+kc]: a row-major A read in place,
 *           an A stored transposed packed into MR-row micro-panels (kc columns of MR each)
 *         for each NR panel, for each MR panel:   C[MR × NR] ← C + A_panel · B̃_panel
 * </pre>
 *
 * <p>The micro-kernel keeps an MR × NR = 8 × (3 vectors) block of C in 24 registers (48 floats
 * wide with AVX-512); each step p loads 3 vectors of B̃, broadcasts 8 values of A and issues 24
 * FMAs. Reading a row-major A in place (eight sequential row streams) instead of packing it saves
 * the copy, which cost 10–15 % of the product at k = 128 (n = 1024: 300 → 330 GFLOP/s,
 * 1024 × 128 × 128: 200 → 230, alternated runs of the same JVM flags). A tile of C is zeroed on the first k block and every k block resumes the chain from C;
 * edge micro-tiles (fewer than MR rows or NR columns) run the same kernel on a scratch tile over
 * zero-padded panels (a partial row panel of a row-major A is copied and zero-padded first). So every c_ij is the same fma chain whatever the tiling, the blocking or the
 * thread count: results are bit-identical, and equal the scalar loop
 * {@code s = Math.fma(a_ip, b_pj, s)}.
 *
 * <p>Two routes around that nest, each the same chains: a large product on several threads packs
 * each column slice's B̃ whole and balances the slices' row blocks between the threads at run time
 * ({@link #sliced}); A·Bᵀ with few rows (an MLP's x·Wᵀ) is computed as (B·Aᵀ)ᵀ when that moves
 * fewer elements than transposing B ({@link #swapped}).
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
   * on the MLP's and GPT's products; A block MC × KC = 96 KiB in L2.
   */
  static final int KC = 512;
  static final int MC = 48;
  static final int NC = 22 * NR;

  /** Per-thread buffers for a packed A block and an edge tile, reused across calls. */
  private static final class Workspace {
    final float[] a = new float[MC * KC];
    final float[] edge = new float[MR * NR];
  }

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  /** The caller's B̃, shared by the tiles; taken while in use, so a nested call gets a new one. */
  private static final ThreadLocal<float[]> PACKED_B = new ThreadLocal<>();

  /** Per-thread gather offsets q·k (q &lt; NR) for packing a transposed B; rebuilt when k changes. */
  private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[NR]);

  /**
   * This thread's offsets q·k for q &lt; NR: a vector gathered with them from b[i] holds the
   * elements at column i of NR consecutive rows of a k-wide row-major matrix (a transpose, a
   * vector at a time). Valid until the thread's next call.
   */
  static int[] gatherOffsets(int k) {
    int[] rows = GATHER.get();
    if (rows[1] != k) {
      for (int q = 0; q < NR; q++) {
        rows[q] = q * k;
      }
    }
    return rows;
  }

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
    if (!transA && transB && m >= NR && (long) m * (k + n) < (long) n * k // fewer elements to move the other way round
        && (long) m * n <= SLICED_MAX_FLOATS) { // and a Cᵀ scratch no larger than the sliced path's B̃
      swapped(m, n, k, a, aOff, b, bOff, c, cOff);
      return;
    }
    int threads = Parallel.threads();
    if (threads > 1 && (long) m * n * k >= COLUMN_SPLIT_WORK && n >= threads * 2 * NR) {
      int slice = GemmTiles.roundUp(GemmTiles.ceilDiv(n, threads), L); // one column slice per thread
      int slices = GemmTiles.ceilDiv(n, slice);
      if ((long) k * (n + threads * NR) <= SLICED_MAX_FLOATS) {
        sliced(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, slice, slices);
        return;
      }
      // Larger still: each thread takes whole column slices of C, packs its own B̃ one k block at a
      // time and runs every k block and row tile of them (fixed halves: no balancing).
      Parallel.range(slices, 1, (s0, s1) -> {
        for (int s = s0; s < s1; s++) {
          columns(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, s * slice, Math.min(n, (s + 1) * slice), false);
        }
      });
      return;
    }
    columns(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, 0, n, true);
  }

  /** Scratch for {@link #swapped}'s Cᵀ; taken while in use, so a nested call gets a new one. */
  private static final ThreadLocal<float[]> TRANSPOSED_C = new ThreadLocal<>();

  /**
   * C = A · Bᵀ computed as Cᵀ = B · Aᵀ, then transposed into C: packing op(B) = Bᵀ is a transpose
   * of n·k elements, while this way B is read in place as the row-major left operand and only A
   * (m·k) and C (m·n) are moved. An MLP's x·Wᵀ at batch 128 (W 512 × 784) moves 165 k elements
   * instead of 401 k. Taken only with m ≥ NR, so Cᵀ has whole column panels (fewer rows fit one
   * row panel of the direct product, where nothing is wasted). Each c_ij is the same fma chain over
   * p (fma(b, a, s) = fma(a, b, s)).
   */
  private static void swapped(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    float[] t = TRANSPOSED_C.get();
    TRANSPOSED_C.remove();
    if (t == null || t.length < m * n) {
      t = new float[m * n];
    }
    sgemm(false, true, n, m, k, b, bOff, a, aOff, t, 0); // (n, m) = Cᵀ; n > m, so it is not swapped again
    untranspose(t, m, n, c, cOff);
    TRANSPOSED_C.set(t);
  }

  /** C (m × n, from cOff) ← the transpose of ct (n × m, from 0): L rows of C at a time, in parallel when large. */
  static void untranspose(float[] ct, int m, int n, float[] c, int cOff) {
    if (n == 0) { // an empty C (the narrow route takes n = 0)
      return;
    }
    Parallel.range(GemmTiles.ceilDiv(m, L), Math.max(1, 4096 / (L * n)), (r0, r1) -> {
      for (int i0 = r0 * L; i0 < Math.min(m, r1 * L); i0 += L) {
        int i1 = Math.min(m, i0 + L);
        for (int j = 0; j < n; j++) {
          for (int i = i0; i < i1; i++) {
            c[cOff + i * n + j] = ct[j * m + i];
          }
        }
      }
    });
  }

  /**
   * The largest whole-k B̃ (floats) that {@link #sliced} packs, and the largest Cᵀ that
   * {@link #swapped} keeps: 16 MiB per calling thread; larger products take the other paths.
   */
  static final long SLICED_MAX_FLOATS = 1L << 22;

  /** The calling thread's whole-k B̃ for {@link #sliced}; taken while in use, like PACKED_B. */
  private static final ThreadLocal<float[]> SLICED_B = new ThreadLocal<>();

  /**
   * A large product on several threads, balanced at run time. C's columns are cut into one slice
   * per thread (1024 = 512 + 512) and each slice's B̃ is packed whole (every k block); then each
   * thread runs the row blocks (MC rows, every k block in order) of its own slice, taken from that
   * slice's counter, and when its slice is done it takes the remaining row blocks of the others. On
   * this VM one of the two cores often runs the kernel ~15 % slower than the other; with fixed
   * halves the product waited for the slow one. No row block waits on another, and each c_ij is
   * still one fma chain over p.
   */
  private static void sliced(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                             float[] b, int bOff, float[] c, int cOff, int slice, int slices) {
    int width = GemmTiles.roundUp(slice, NR); // B̃ floats per step p of one slice (whole panels)
    int kBlocks = GemmTiles.ceilDiv(k, KC);
    float[] buf = SLICED_B.get();
    SLICED_B.remove();
    if (buf == null || buf.length < k * width * slices) {
      buf = new float[k * width * slices];
    }
    float[] packed = buf;
    Parallel.tasks(slices * kBlocks, (t0, t1) -> { // k block pc of slice s at (s·k + pc)·width
      for (int t = t0; t < t1; t++) {
        int s = t / kBlocks;
        int pc = (t % kBlocks) * KC;
        packB(transB, n, k, b, bOff, pc, Math.min(KC, k - pc), s * slice, Math.min(n, (s + 1) * slice),
            packed, (s * k + pc) * width);
      }
    });
    int rowBlocks = GemmTiles.ceilDiv(m, MC);
    AtomicInteger[] next = new AtomicInteger[slices];
    Arrays.setAll(next, s -> new AtomicInteger());
    Parallel.tasks(slices, (s0, s1) -> {
      for (int own = s0; own < s1; own++) {
        for (int d = 0; d < slices; d++) { // its own slice first, then what is left of the others
          int s = (own + d) % slices;
          for (int r = next[s].getAndIncrement(); r < rowBlocks; r = next[s].getAndIncrement()) {
            int i0 = r * MC;
            for (int pc = 0; pc < k; pc += KC) {
              tile(transA, m, k, a, aOff, packed, (s * k + pc) * width, pc, Math.min(KC, k - pc),
                  c, cOff, n, i0, Math.min(m, i0 + MC), s * slice, Math.min(n, (s + 1) * slice));
            }
          }
        }
      }
    });
    SLICED_B.set(buf);
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
      int at = cOff + ic * n + j0;
      if (transA) { // A stored k × m: packed into MR-row panels, p-major (one adjacent run per step)
        packPanels(m, a, aOff, pc, kc, ic, ic + mc, w.a);
        block(w, w.a, 0, PANEL, bp, bi, kc, mc, j1 - j0, c, at, n);
      } else { // row-major A read in place; a last, partial row panel is copied and zero-padded
        int full = mc / MR * MR;
        block(w, a, aOff + ic * k + pc, k, bp, bi, kc, full, j1 - j0, c, at, n);
        if (full < mc) {
          packRows(k, a, aOff, pc, kc, ic + full, ic + mc, w.a);
          block(w, w.a, 0, kc, bp, bi, kc, mc - full, j1 - j0, c, at + full * n, n);
        }
      }
    }
  }

  /** {@link #block}'s lda for A packed by {@link #packPanels} (read by the panel kernels). */
  private static final int PANEL = -1;

  /**
   * C[mc × nc] at ci (leading dimension ldc) ← C + A · B̃ over one k block of length kc, row r of
   * A's block at a[ai + r·lda], its kc elements adjacent, or panels packed from ai (lda = PANEL);
   * rows past mc up to a multiple of MR must be readable (their products are discarded).
   */
  private static void block(Workspace w, float[] a, int ai, int lda, float[] bp, int bi, int kc, int mc, int nc,
                            float[] c, int ci, int ldc) {
    for (int jr = 0; jr < nc; jr += NR) {
      int cols = Math.min(NR, nc - jr);
      for (int ir = 0; ir < mc; ir += MR) {
        int rows = Math.min(MR, mc - ir);
        int ap = ai + ir * (lda == PANEL ? kc : lda); // the micro-panel's first element
        int at = ci + ir * ldc + jr;
        if (rows == MR && cols == NR) {
          if (lda == PANEL) {
            SgemmKernels.panelKernel(kc, a, ap, bp, bi + jr * kc, c, at, ldc);
          } else {
            SgemmKernels.kernel(kc, a, ap, lda, bp, bi + jr * kc, c, at, ldc);
          }
        } else if (rows == MR && cols == L2) { // a 32-column edge (n = 128 = 48 + 48 + 32): two vectors, on C itself
          if (lda == PANEL) {
            SgemmKernels.panelKernel2(kc, a, ap, bp, bi + jr * kc, c, at, ldc);
          } else {
            SgemmKernels.kernel2(kc, a, ap, lda, bp, bi + jr * kc, c, at, ldc);
          }
        } else {
          edge(kc, w, a, ap, lda, bp, bi + jr * kc, c, at, ldc, rows, cols);
        }
      }
    }
  }

  /** A partial micro-tile (rows × cols) through the full kernel on the MR × NR scratch tile. */
  private static void edge(int kc, Workspace w, float[] a, int ai, int lda, float[] bp, int bi, float[] c, int at,
                           int ldc, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(c, at + r * ldc, w.edge, r * NR, cols);
    }
    if (lda == PANEL) {
      SgemmKernels.panelKernel(kc, a, ai, bp, bi, w.edge, 0, NR);
    } else {
      SgemmKernels.kernel(kc, a, ai, lda, bp, bi, w.edge, 0, NR);
    }
    for (int r = 0; r < rows; r++) {
      System.arraycopy(w.edge, r * NR, c, at + r * ldc, cols);
    }
  }

  /**
   * Copies rows [i0, i1) of a row-major A (columns pc : pc+kc) into dst as kc-long rows, then zero
   * rows up to the next multiple of MR.
   */
  static void packRows(int k, float[] a, int aOff, int pc, int kc, int i0, int i1, float[] dst) {
    int rows = i1 - i0;
    Arrays.fill(dst, rows * kc, GemmTiles.roundUp(rows, MR) * kc, 0f);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a, aOff + (i0 + r) * k + pc, dst, r * kc, kc);
    }
  }

  /**
   * Packs op(A)[i0:i1, pc:pc+kc] of an A stored k × m (transA) into MR-row micro-panels: element
   * (i0 + ir + r, pc + p) goes to dst[ir·kc + p·MR + r], one adjacent run of A per step p; rows
   * past i1 are zero.
   */
  static void packPanels(int m, float[] a, int aOff, int pc, int kc, int i0, int i1, float[] dst) {
    for (int ir = 0; i0 + ir < i1; ir += MR) {
      int rows = Math.min(MR, i1 - i0 - ir);
      int base = ir * kc;
      if (rows < MR) {
        Arrays.fill(dst, base, base + kc * MR, 0f);
      }
      for (int p = 0, src = aOff + pc * m + i0 + ir; p < kc; p++, src += m) {
        System.arraycopy(a, src, dst, base + p * MR, rows);
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
      if (transB) { // a transpose: whole vectors gathered (one lane per row of B), the rest scalar
        int vectors = cols / L;
        int src = bOff + (j0 + jr) * k + pc;
        if (vectors > 0) {
          int[] rows = gatherOffsets(k);
          for (int p = 0; p < kc; p++) {
            for (int v = 0; v < vectors; v++) {
              FloatVector.fromArray(S, b, src + p, rows, v * L).intoArray(dst, base + p * NR + v * L);
            }
          }
        }
        for (int q = vectors * L; q < cols; q++) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * NR + q] = b[src + q * k + p];
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
