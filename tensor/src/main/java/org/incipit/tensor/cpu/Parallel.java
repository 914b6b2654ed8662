package org.incipit.tensor.cpu;

import java.util.concurrent.ForkJoinPool;

/**
 * Splits loops over the CPU backend's worker pool.
 *
 * <p>{@code incipit.threads} threads work on a loop (system property, default: the available
 * processors): the calling thread runs the first chunk while a pool of the others runs the rest.
 * Every caller guarantees that each output element is computed by exactly one chunk, in an order
 * that does not depend on where the range is cut, so results are bit-identical at every thread
 * count.
 */
public final class Parallel {
  private static final int THREADS =
      Math.max(1, Integer.getInteger("incipit.threads", Runtime.getRuntime().availableProcessors()));
  private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1) : null;
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
    int chunk = (n + chunks - 1) / chunks;
    if (java.util.concurrent.ForkJoinTask.inForkJoinPool()) { // nested inside a parallel loop: inline
      body.run(0, n);
      return;
    }
    // Every participant — the caller and THREADS − 1 pool threads — takes chunks from one counter
    // until none are left, so the work balances itself and the caller never just waits.
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    int count = (n + chunk - 1) / chunk;
    Runnable worker = () -> {
      for (int c = next.getAndIncrement(); c < count; c = next.getAndIncrement()) {
        body.run(c * chunk, Math.min(n, (c + 1) * chunk));
      }
    };
    // (no more helpers than there are chunks beyond the caller's first)
    java.util.concurrent.ForkJoinTask<?>[] helpers = new java.util.concurrent.ForkJoinTask<?>[Math.min(THREADS, count) - 1];
    for (int i = 0; i < helpers.length; i++) {
      helpers[i] = POOL.submit(worker);
    }
    try {
      worker.run();
    } finally {
      for (java.util.concurrent.ForkJoinTask<?> h : helpers) {
        h.join();
      }
    }
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
}
