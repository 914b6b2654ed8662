package org.incipit.tensor.cpu;

/**
 * The loop nest shared by the GEMM kernels, and its fixed grid of tiles over C.
 *
 * <pre>
 *   for each column block [jc, jc + nc) of C                   (nc ≤ NC, a multiple of nr)
 *     for pc = 0, KC, 2·KC, … &lt; k                            (in order: k is never split)
 *       packB(pc, kc, jc, jc + nc)                on the calling thread (or split by panels)
 *       for each tile [i0, i1) × [j0, j1) of the block          in parallel, one thread per tile
 *         compute(pc, kc, jc, i0, i1, j0, j1)           C_tile ← (pc = 0 ? 0 : C_tile) + Ã·B̃
 * </pre>
 *
 * <p>The grid depends only on (m, n, k) and the kernel's block sizes, never on the thread count;
 * the block nests below {@link #PARALLEL_MIN_WORK} multiply-adds run on the calling thread. Each
 * c_ij is updated by one tile per k block and the k blocks follow each other, so its sum runs in
 * one fixed order.
 */
record GemmTiles(int m, int n, int rowStep, int colStep, boolean parallel) {
  /** m·nc·kc below which handing tiles to the workers costs more than it saves (measured on 2 cores). */
  static final long PARALLEL_MIN_WORK = 1L << 20;

  /** Tiles wanted for load balance on a parallel block. */
  private static final int MIN_TILES = 8;

  /** Packs the k block [pc, pc + kc) × columns [j0, j1) of op(B). */
  @FunctionalInterface
  interface Pack {
    void run(int pc, int kc, int j0, int j1);
  }

  /** Updates tile [i0, i1) × [j0, j1) of C with the k block [pc, pc + kc) packed from column jc. */
  @FunctionalInterface
  interface Compute {
    void run(int pc, int kc, int jc, int i0, int i1, int j0, int j1);
  }

  /** A tile body over rows [i0, i1) and columns [j0, j1) of C. */
  @FunctionalInterface
  interface Body {
    void run(int i0, int i1, int j0, int j1);
  }

  /**
   * Runs the loop nest of the class comment for an m × n × k product whose micro-kernel covers
   * mr × nr, with column blocks of at most ncMax, k blocks of kcMax and tiles of at most mcMax
   * rows; tiles split a column block into nr-multiples only when {@code splitColumns}.
   */
  static void blocked(int m, int n, int k, int mr, int nr, int mcMax, int ncMax, int kcMax,
                      boolean splitColumns, Pack pack, Compute compute) {
    blocked(m, 0, n, k, mr, nr, mcMax, ncMax, kcMax, splitColumns, true, pack, compute);
  }

  /**
   * The loop nest over the columns [jStart, jEnd) of C only; with {@code allowParallel} false every
   * tile runs on the calling thread (for callers that already split C across threads).
   */
  static void blocked(int m, int jStart, int jEnd, int k, int mr, int nr, int mcMax, int ncMax, int kcMax,
                      boolean splitColumns, boolean allowParallel, Pack pack, Compute compute) {
    int n = jEnd - jStart;
    int colStep = roundUp(ceilDiv(n, ceilDiv(n, ncMax)), nr);
    for (int jc = jStart; jc < jEnd; jc += colStep) {
      int nc = Math.min(colStep, jEnd - jc);
      int jBlock = jc;
      GemmTiles g = of(m, nc, Math.min(k, kcMax), mr, splitColumns ? nr : nc, mcMax);
      GemmTiles grid = allowParallel ? g : new GemmTiles(g.m(), g.n(), g.rowStep(), g.colStep(), false);
      for (int pc = 0; pc < k; pc += kcMax) {
        int p0 = pc;
        int kc = Math.min(kcMax, k - pc);
        pack.run(pc, kc, jc, jc + nc);
        grid.forEach((i0, i1, j0, j1) ->
            compute.run(p0, kc, jBlock, i0, i1, jBlock + j0, jBlock + j1));
      }
    }
  }

  /**
   * The grid over an m × n block updated with kc-long k blocks: rows cut into multiples of mr (at
   * most mcMax), cut further, then columns into multiples of nr, until a parallel block has
   * {@link #MIN_TILES} tiles when the shape allows.
   */
  static GemmTiles of(int m, int n, int kc, int mr, int nr, int mcMax) {
    boolean parallel = (long) m * n * kc >= PARALLEL_MIN_WORK;
    int rowBlocks = ceilDiv(m, mcMax);
    int colBlocks = 1;
    if (parallel && rowBlocks < MIN_TILES) {
      rowBlocks = Math.min(MIN_TILES, ceilDiv(m, mr));
      colBlocks = Math.min(ceilDiv(MIN_TILES, rowBlocks), ceilDiv(n, nr));
    }
    int rowStep = roundUp(ceilDiv(m, rowBlocks), mr);
    int colStep = roundUp(ceilDiv(n, colBlocks), nr);
    return new GemmTiles(m, n, rowStep, colStep, parallel);
  }

  int rowBlocks() {
    return ceilDiv(m, rowStep);
  }

  int colBlocks() {
    return ceilDiv(n, colStep);
  }

  int count() {
    return rowBlocks() * colBlocks();
  }

  /** Runs {@code body} on tile t = (I, J) with I = t / colBlocks, J = t mod colBlocks. */
  void run(int t, Body body) {
    int cols = colBlocks();
    int i0 = (t / cols) * rowStep;
    int j0 = (t % cols) * colStep;
    body.run(i0, Math.min(m, i0 + rowStep), j0, Math.min(n, j0 + colStep));
  }

  /** Runs {@code body} on every tile, in parallel on the CPU pool when the block is large. */
  void forEach(Body body) {
    if (!parallel) {
      for (int t = 0; t < count(); t++) {
        run(t, body);
      }
      return;
    }
    Parallel.range(count(), 1, (t0, t1) -> {
      for (int t = t0; t < t1; t++) {
        run(t, body);
      }
    });
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  static int roundUp(int a, int b) {
    return ceilDiv(a, b) * b;
  }
}
