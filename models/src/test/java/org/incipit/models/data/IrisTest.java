package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

class IrisTest {
  @Test
  void has150FlowersOf3SpeciesWith4Features() {
    LabeledData iris = Iris.load();
    assertEquals(Shape.of(150, 4), iris.features().shape());
    assertEquals(DType.F32, iris.features().dtype());
    assertEquals(Shape.of(150), iris.labels().shape());
    assertEquals(3, iris.classes());
    assertArrayEquals(new int[] {50, 50, 50}, iris.classCounts());
  }

  @Test
  void valuesAreRawCentimetres() {
    float[] x = Iris.load().features().toFloats();
    // line 2 of iris.csv: 5.1,3.5,1.4,0.2,0
    assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, java.util.Arrays.copyOf(x, 4));
    // min and max per feature from sklearn's descr/iris.rst summary table
    double[][] range = {{4.3, 7.9}, {2.0, 4.4}, {1.0, 6.9}, {0.1, 2.5}};
    for (int j = 0; j < 4; j++) {
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (int i = 0; i < 150; i++) {
        min = Math.min(min, x[i * 4 + j]);
        max = Math.max(max, x[i * 4 + j]);
      }
      assertEquals(range[j][0], min, 1e-6, Iris.FEATURES.get(j) + " min");
      assertEquals(range[j][1], max, 1e-6, Iris.FEATURES.get(j) + " max");
    }
  }

  @Test
  void labelsAreSortedBySpeciesInTheFile() {
    long[] y = Iris.load().labels().toLongs();
    for (int i = 0; i < 150; i++) {
      assertEquals(i / 50, y[i], "row " + i);
    }
  }
}
