package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void constant() {
    assertEquals(1.0, LrSchedule.constant().factor(0));
    assertEquals(1.0, LrSchedule.constant().factor(1_000_000));
  }

  @Test
  void linearWarmup() {
    LrSchedule s = LrSchedule.linearWarmup(4);
    assertEquals(0.25, s.factor(0)); // (0 + 1)/4: the first step already moves
    assertEquals(0.5, s.factor(1));
    assertEquals(1.0, s.factor(3));
    assertEquals(1.0, s.factor(100));
    assertEquals(1.0, LrSchedule.linearWarmup(0).factor(0));
  }

  @Test
  void cosineWithWarmup() {
    LrSchedule s = LrSchedule.cosine(10, 110, 0.1);
    assertEquals(0.1, s.factor(0), 1e-15); // (0 + 1)/10
    assertEquals(1.0, s.factor(9), 1e-15);
    assertEquals(1.0, s.factor(10), 1e-15); // start of the cosine
    assertEquals(0.1 + 0.9 * 0.5, s.factor(60), 1e-15); // halfway: cos(π/2) = 0
    assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)), s.factor(35), 1e-15);
    assertEquals(0.1, s.factor(110), 1e-15);
    assertEquals(0.1, s.factor(500), 1e-15);
    assertEquals(0.0, LrSchedule.cosine(0, 100, 0).factor(100), 1e-15);
    assertEquals(1.0, LrSchedule.cosine(0, 100, 0).factor(0), 1e-15);
  }

  @Test
  void stepDecay() {
    LrSchedule s = LrSchedule.stepDecay(30, 0.1);
    assertEquals(1.0, s.factor(0));
    assertEquals(1.0, s.factor(29));
    assertEquals(0.1, s.factor(30), 1e-15);
    assertEquals(0.01, s.factor(60), 1e-15);
  }

  @Test
  void schedulesAreValues() {
    assertEquals(LrSchedule.cosine(10, 100, 0.1), LrSchedule.cosine(10, 100, 0.1));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(10, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0, 10, 1.5));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.stepDecay(0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.linearWarmup(-1));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant().factor(-1));
  }
}
