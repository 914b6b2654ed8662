package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

class SequenceTasksTest {
  @Test
  void theDelayTargetIsTheInputShifted() {
    SequenceTasks.Batch b = SequenceTasks.delay(3, 10, 4, Rng.seeded(1));
    assertEquals(Shape.of(3, 10, 1), b.x().shape());
    assertEquals(Shape.of(3, 10, 1), b.y().shape());
    double[] u = b.x().toDoubles();
    double[] y = b.y().toDoubles();
    for (int i = 0; i < 3; i++) {
      for (int t = 0; t < 10; t++) {
        assertEquals(t < 4 ? 0 : u[i * 10 + t - 4], y[i * 10 + t], 0.0, "sequence " + i + ", step " + t);
      }
    }
    assertArrayEquals(u, SequenceTasks.delay(3, 10, 4, Rng.seeded(1)).x().toDoubles(), "a function of the seed");
    assertThrows(IllegalArgumentException.class, () -> SequenceTasks.delay(1, 5, 5, Rng.seeded(1)));
  }

  @Test
  void theHalvesLabelComparesTheTwoSums() {
    SequenceTasks.Batch b = SequenceTasks.halves(200, 7, Rng.seeded(2));
    assertEquals(DType.I64, b.y().dtype());
    double[] u = b.x().toDoubles();
    long[] labels = b.y().toLongs();
    int ones = 0;
    for (int i = 0; i < 200; i++) {
      double first = u[i * 7] + u[i * 7 + 1] + u[i * 7 + 2];          // t < 7/2 = 3
      double second = u[i * 7 + 3] + u[i * 7 + 4] + u[i * 7 + 5] + u[i * 7 + 6];
      assertEquals(first > second ? 1 : 0, labels[i], "sequence " + i);
      ones += (int) labels[i];
    }
    assertTrue(ones > 60 && ones < 140, "both classes are common: " + ones + " of 200");
  }
}
