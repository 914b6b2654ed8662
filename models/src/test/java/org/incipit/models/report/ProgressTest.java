package org.incipit.models.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void plainModePrintsTheFirstStepAndEveryTenth() {
    try (Progress p = Progress.plain("glorot2010", 1000, out, Duration.ofHours(1))) {
      for (int step = 1; step <= 1000; step++) {
        p.step(step, "loss " + Table.format(2.314 * 100 / (step + 99)));
      }
      assertEquals(1000, p.done());
    }
    List<String> lines = lines();
    List<String> expected = new ArrayList<>();
    expected.add("glorot2010: step 1/1000 loss 2.314");
    for (int step = 100; step <= 1000; step += 100) {
      expected.add("glorot2010: step " + step + "/1000 loss " + Table.format(2.314 * 100 / (step + 99)));
    }
    assertEquals(expected, lines.subList(0, 11));
    assertEquals(12, lines.size());
    assertTrue(lines.get(11).matches("glorot2010: finished 1000 steps in \\d+\\.\\d s"), lines.get(11));
  }

  @Test
  void plainModeAlsoPrintsWhenTheIntervalHasPassed() {
    try (Progress p = Progress.plain("s", 1000, out, Duration.ZERO)) {
      p.step(1, "a");
      p.step(2, null);
      p.step(3, "");
      p.step(3, "same step again");
    }
    assertEquals(List.of("s: step 1/1000 a", "s: step 2/1000", "s: step 3/1000"), lines().subList(0, 3));
    assertTrue(lines().get(3).matches("s: stopped at step 3/1000 after \\d+\\.\\d s"), lines().get(3));
  }

  @Test
  void stepsMayBeSparseOrRunPastTheTotal() {
    try (Progress p = Progress.plain("s", 10, out, Duration.ofHours(1))) {
      p.step(0, "start");
      p.step(7, "jump");
      p.step(12, "extra");
    }
    assertEquals(List.of("s: step 0/10 start", "s: step 7/10 jump", "s: step 12/10 extra"), lines().subList(0, 3));
    assertTrue(lines().get(3).startsWith("s: finished 12 steps in "));
  }

  @Test
  void closeIsIdempotentAndStepAfterCloseFails() {
    Progress p = Progress.plain("s", 5, out, Duration.ofHours(1));
    p.step(5, "");
    p.close();
    p.close();
    assertEquals(2, lines().size());
    assertThrows(IllegalStateException.class, () -> p.step(5, ""));
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Progress.plain("s", 0, out, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Progress.plain("s", 5, out, Duration.ofSeconds(-1)));
    try (Progress p = Progress.plain("s", 5, out, Duration.ZERO)) {
      assertThrows(IllegalArgumentException.class, () -> p.step(-1, ""));
    }
  }

  @Test
  void startFallsBackToPlainLinesWithoutAConsole() {
    // Under Maven Surefire standard output is a pipe, so System.console() is null.
    PrintStream saved = System.out;
    System.setOut(out);
    try (Progress p = Progress.start("ci", 4)) {
      p.step(1, "loss 1.000");
    } finally {
      System.setOut(saved);
    }
    if (System.console() == null) {
      assertEquals("ci: step 1/4 loss 1.000", lines().get(0));
      assertTrue(lines().get(1).startsWith("ci: stopped at step 1/4 after "));
    }
  }
}
