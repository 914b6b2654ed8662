package org.incipit.tensor.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits loops over the CPU backend's worker threads.
 *
 * <p>{@code incipit.threads} threads work on a loop (system property, default: the available
 * processors): the calling thread and {@code threads − 1} workers take chunks (each its own
 * contiguous group first, see {@link Job}) until none are left. Every caller guarantees that each
 * output element is computed by exactly one chunk, in an order that does not depend on where the
 * range is cut, so results are bit-identical at every thread count.
 *
 * <p>The workers are this class's own daemon threads, not a ForkJoinPool: after a loop they wait
 * for the next one for {@code incipit.spinMicros} (default 50 ms) before they park, as OpenMP
 * runtimes (Intel's waits 200 ms) and OpenBLAS do: the first 200 µs spinning, the rest yielding
 * the core to any other runnable thread (a JIT compiler thread, a test) between polls. A training
 * step runs hundreds of loops of 20–200 µs back to back; waking a parked thread for each costs
 * about as much as the loop itself (a 128³ product ran no faster on two threads than on one with
 * the ForkJoinPool hand-off). On this project's VM a worker that had parked often ran its share
 * late for a while after it was woken: bursts of products after a 0.3 s pause, as
 * {@code bench/compare} times them, ran at one thread's speed in many bursts. Medians, same JVM,
 * alternated: n = 1024 6.6–6.9 ms with 200 µs of waiting, 6.2–6.5 with 2 ms; 128³ through
 * {@code Tensor.matmul} 22–34 µs with 2 ms, 18–22 µs with 50 ms, the training steps unchanged
 * (±1 %), the test suite ~15 s more CPU time. One loop uses the workers at a time: a loop
 * started while they are busy (from another thread, or nested inside a loop body) runs on its
 * calling thread, which changes no result.
 */
public final class Parallel {
  private static final int THREADS =
      Math.max(1, Integer.getInteger("incipit.threads", Runtime.getRuntime().availableProcessors()));
  private static final long SPIN_NANOS = 1000L * Math.max(0, Integer.getInteger("incipit.spinMicros", 50_000));
  /** The part of the wait spent spinning (Thread.onSpinWait) before the worker yields between polls. */
  private static final long PAUSE_NANOS = Math.min(SPIN_NANOS, 200_000);
  private static final Worker[] WORKERS = startWorkers(THREADS - 1);
  /** Held by the one loop that uses the workers. */
  private static final AtomicBoolean BUSY = new AtomicBoolean();
  /** Depth of {@link #sequentially} calls; global, because results never depend on it anyway. */
  private static final AtomicInteger INLINE = new AtomicInteger();

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
    run(n, Math.min(THREADS * 4, Math.max(1, n / Math.max(1, grain))), body);
  }

  /**
   * Runs {@code body} over [0, n) one index at a time, each index a task of its own that goes to
   * whichever thread is free: for a few dozen coarse items (a product's row blocks), where chunks
   * of several would leave one thread waiting on the other's last chunk.
   */
  public static void tasks(int n, Range body) {
    run(n, n, body);
  }

  private static void run(int n, int chunks, Range body) {
    if (n <= 0) {
      return;
    }
    if (chunks <= 1 || WORKERS.length == 0 || INLINE.get() > 0 || Thread.currentThread() instanceof Worker
        || !BUSY.compareAndSet(false, true)) {
      body.run(0, n);
      return;
    }
    try {
      int chunk = (n + chunks - 1) / chunks;
      int count = (n + chunk - 1) / chunk;
      int helpers = Math.min(WORKERS.length, count - 1); // no more helpers than chunks beyond the caller's
      Job job = new Job(body, n, chunk, count, helpers + 1);
      job.pending.set(helpers);
      for (int i = 0; i < helpers; i++) {
        WORKERS[i].post(job);
      }
      try {
        job.work(0);
      } finally {
        for (int i = 0; i < helpers; i++) {
          WORKERS[i].retract(job); // a helper that has not started yet (descheduled, parked) is not waited for
        }
        job.awaitHelpers();
      }
      job.rethrow();
    } finally {
      BUSY.set(false);
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

  /**
   * One parallel loop: chunks [c·chunk, (c+1)·chunk), dealt in one contiguous group per thread,
   * each group handed out by its own counter. A thread takes its own group's chunks first, then
   * what is left of the others': it finishes early only by helping. Consecutive loops over the
   * same range (the ops of a training step) thus give each thread mostly the same elements, which
   * its cache still holds; with one shared counter the chunks alternated between the threads, and
   * the tiny GPT's step ran 1–2 % slower, the MLP's up to 5 % (interleaved A/B, 200 steps each).
   */
  private static final class Job {
    final Range body;
    final int n;
    final int chunk;
    final int count;
    /** Thread t's group: chunks [first(t), first(t + 1)), the next one to take in next[t]. */
    final AtomicInteger[] next;
    final int parts;
    final AtomicInteger pending = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(Range body, int n, int chunk, int count, int parts) {
      this.body = body;
      this.n = n;
      this.chunk = chunk;
      this.count = count;
      this.parts = parts;
      this.next = new AtomicInteger[parts];
      for (int t = 0; t < parts; t++) {
        next[t] = new AtomicInteger(first(t));
      }
    }

    private int first(int t) {
      return (int) ((long) count * t / parts);
    }

    /** Runs chunks until none is left: its own group first (the caller is 0, worker i is i). */
    void work(int self) {
      for (int d = 0; d < parts; d++) {
        int t = (self + d) % parts;
        int end = first(t + 1);
        for (int c = next[t].getAndIncrement(); c < end; c = next[t].getAndIncrement()) {
          body.run(c * chunk, Math.min(n, (c + 1) * chunk));
        }
      }
    }

    /** Waits until every helper has left {@link #work}: spins, then yields. */
    void awaitHelpers() {
      for (int spins = 0; pending.get() > 0; spins++) {
        if (spins < 1 << 12) { // about 0.1 ms of spinning, then give the core away
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }

    void rethrow() {
      Throwable t = failure.get();
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
    }
  }

  /**
   * A helper thread: runs posted jobs, waiting {@link #SPIN_NANOS} between them (spinning, then
   * yielding), then parking.
   */
  private static final class Worker extends Thread {
    /** 1 … threads − 1: its own group in a {@link Job} (the caller's is 0). */
    private final int index;
    private final AtomicReference<Job> slot = new AtomicReference<>();
    private volatile boolean parked;

    Worker(int index) {
      super("incipit-cpu-" + index);
      this.index = index;
      setDaemon(true);
    }

    /** Takes back a job this worker has not picked up, and counts it as done. */
    void retract(Job job) {
      if (slot.compareAndSet(job, null)) {
        job.pending.decrementAndGet();
      }
    }

    void post(Job job) {
      slot.set(job);
      if (parked) {
        LockSupport.unpark(this);
      }
    }

    @Override
    public void run() {
      while (true) {
        Job job = take();
        try {
          job.work(index); // index < parts: a job is posted only to workers 1 … parts − 1
        } catch (Throwable t) {
          job.failure.compareAndSet(null, t);
        } finally {
          job.pending.decrementAndGet();
        }
      }
    }

    private Job take() {
      long start = System.nanoTime();
      while (true) {
        Job job = slot.getAndSet(null);
        if (job != null) {
          return job;
        }
        long spent = System.nanoTime() - start;
        if (spent < SPIN_NANOS) {
          if (spent < PAUSE_NANOS) {
            Thread.onSpinWait();
          } else {
            Thread.yield();
          }
          continue;
        }
        parked = true; // the poster reads this after writing the slot, so one of us sees the other
        if (slot.get() == null) {
          LockSupport.park(this);
        }
        parked = false;
        start = System.nanoTime();
      }
    }
  }

  private static Worker[] startWorkers(int count) {
    Worker[] workers = new Worker[count];
    for (int i = 0; i < count; i++) {
      workers[i] = new Worker(i + 1);
      workers[i].start();
    }
    return workers;
  }
}
