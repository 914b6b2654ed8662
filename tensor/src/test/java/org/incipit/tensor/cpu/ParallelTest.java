package org.incipit.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The worker pool: every index once, failures reach the caller, nesting and concurrent callers finish. */
class ParallelTest {
  private static void assertEachOnce(int n, int grain) {
    AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
    Parallel.range(n, grain, (from, to) -> {
      for (int i = from; i < to; i++) {
        seen.incrementAndGet(i);
      }
    });
    for (int i = 0; i < n; i++) {
      assertEquals(1, seen.get(i), "index " + i + " of " + n + " (grain " + grain + ")");
    }
  }

  @Test
  void everyIndexIsVisitedExactlyOnce() {
    int[][] cases = {{0, 1}, {1, 1}, {7, 100}, {100, 1}, {1000, 3}, {1 << 16, 1 << 10}, {12345, 17}};
    for (int[] c : cases) {
      assertEachOnce(c[0], c[1]);
    }
    for (int n : new int[] {0, 1, 2, 3, 44, 1000}) {
      AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
      Parallel.tasks(n, (from, to) -> {
        for (int i = from; i < to; i++) {
          seen.incrementAndGet(i);
        }
      });
      for (int i = 0; i < n; i++) {
        assertEquals(1, seen.get(i), "task " + i + " of " + n);
      }
    }
  }

  @Test
  void aFailureInAnyChunkReachesTheCallerAndThePoolKeepsWorking() {
    for (int bad : new int[] {0, 999}) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.range(1000, 1, (f, t) -> {
        if (f <= bad && bad < t) {
          throw new IllegalStateException("chunk with " + bad);
        }
      }));
      assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
      assertEachOnce(1000, 1);
    }
  }

  @Test
  void nestedLoopsAndConcurrentCallersFinish() throws Exception {
    List<Thread> callers = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int c = 0; c < 4; c++) {
      Thread t = new Thread(() -> {
        try {
          for (int r = 0; r < 200; r++) {
            AtomicIntegerArray seen = new AtomicIntegerArray(64 * 64);
            Parallel.range(64, 1, (f, to) -> {
              for (int i = f; i < to; i++) {
                int row = i;
                Parallel.range(64, 1, (g, h) -> {
                  for (int j = g; j < h; j++) {
                    seen.incrementAndGet(row * 64 + j);
                  }
                });
              }
            });
            for (int i = 0; i < 64 * 64; i++) {
              assertEquals(1, seen.get(i));
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      callers.add(t);
      t.start();
    }
    for (Thread t : callers) {
      t.join(60_000);
      assertTrue(!t.isAlive(), "a caller is stuck");
    }
    assertTrue(failures.isEmpty(), failures.toString());
  }

  /** With more than one thread, the workers really take chunks (slow chunks, so they wake in time). */
  @Test
  void workersShareTheLoop() {
    assumeTrue(Parallel.threads() >= 2, "one thread: there are no workers to observe");
    Set<String> names = ConcurrentHashMap.newKeySet();
    Parallel.range(16, 1, (f, t) -> {
      names.add(Thread.currentThread().getName());
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(names.stream().anyMatch(n -> n.startsWith("incipit-cpu-")), "chunks ran on " + names);
  }
}
