package org.incipit.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits loops over the CPU backend's worker pool.
 *
 * <p>The pool has {@code incipit.threads} workers (system property, default: the available
 * processors). Work is cut into chunks that depend only on the range and the grain — never on the
 * number of threads — so every result is bit-identical at every thread count as long as each
 * output element is written by one chunk, which every caller guarantees.
 */
public final class Parallel {
  private static final int THREADS =
      Math.max(1, Integer.getInteger("incipit.threads", Runtime.getRuntime().availableProcessors()));
  private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;
  /** Depth of {@link #sequentially} calls; global, because results never depend on it anyway. */
  private static final java.util.concurrent.atomic.AtomicInteger INLINE = new java.util.concurrent.atomic.AtomicInteger();

  private Parallel() {}

  /** A loop body over [from, to). */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  /** Number of worker threads. */
  public static int threads() {
    return THREADS;
  }

  /**
   * Runs {@code body} over [0, n) in chunks of at least {@code grain} iterations, in parallel when
   * there is more than one chunk.
   */
  public static void range(int n, int grain, Range body) {
    if (n <= 0) {
      return;
    }
    int chunks = Math.min(THREADS * 4, Math.max(1, n / Math.max(1, grain)));
    if (chunks <= 1 || POOL == null || INLINE.get() > 0) {
      body.run(0, n);
      return;
    }
    POOL.invoke(new Split(body, 0, n, (n + chunks - 1) / chunks));
  }

  /**
   * Runs {@code body} with every loop executed inline on the calling thread, as on a one-core
   * machine: tests use it to show that results do not depend on the number of threads. The switch
   * is global (a loop started meanwhile by another thread also runs inline), which is harmless
   * because no result depends on it.
   */
  public static <T> T sequentially(java.util.function.Supplier<T> body) {
    INLINE.incrementAndGet();
    try {
      return body.get();
    } finally {
      INLINE.decrementAndGet();
    }
  }

  private static final class Split extends RecursiveAction {
    private final Range body;
    private final int from;
    private final int to;
    private final int chunk;

    Split(Range body, int from, int to, int chunk) {
      this.body = body;
      this.from = from;
      this.to = to;
      this.chunk = chunk;
    }

    @Override
    protected void compute() {
      if (to - from <= chunk) {
        body.run(from, to);
        return;
      }
      int pieces = (to - from + chunk - 1) / chunk;
      int mid = from + (pieces / 2) * chunk;
      invokeAll(new Split(body, from, mid, chunk), new Split(body, mid, to, chunk));
    }
  }
}
