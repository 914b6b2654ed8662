package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DigitsTest {
  /**
   * Images per digit 0..9, counted once from sklearn/datasets/data/digits.csv.gz (python3-sklearn
   * 1.2.1); the same as the UCI optdigits.tes class distribution.
   */
  static final int[] CLASS_COUNTS = {178, 182, 177, 183, 181, 182, 181, 179, 174, 180};

  /** The 64 raw pixels (0..16) of the first image, a 0: line 1 of digits.csv.gz, read once with zcat. */
  static final int[] FIRST_IMAGE = {
      0, 0, 5, 13, 9, 1, 0, 0,
      0, 0, 13, 15, 10, 15, 5, 0,
      0, 3, 15, 2, 0, 11, 8, 0,
      0, 4, 12, 0, 0, 8, 8, 0,
      0, 5, 8, 0, 0, 9, 8, 0,
      0, 4, 11, 0, 1, 12, 7, 0,
      0, 2, 14, 5, 10, 12, 0, 0,
      0, 0, 6, 13, 10, 0, 0, 0};

  static LabeledData digits;

  @BeforeAll
  static void load() {
    digits = Digits.load();
  }

  @Test
  void hasTheShapesAndTypesOfSklearnsDigits() {
    assertEquals(Shape.of(1797, 64), digits.features().shape());
    assertEquals(Shape.of(1797), digits.labels().shape());
    assertEquals(DType.F32, digits.features().dtype());
    assertEquals(DType.I64, digits.labels().dtype());
    assertEquals(10, digits.classes());
    assertEquals(1797, digits.size());
    assertEquals(64, digits.dimension());
  }

  @Test
  void everyClassHasAbout180Images() {
    int[] counts = digits.classCounts();
    assertArrayEquals(CLASS_COUNTS, counts);
    assertEquals(1797, Arrays.stream(counts).sum());
    for (int c = 0; c < 10; c++) {
      assertTrue(Math.abs(counts[c] - 180) <= 6, "digit " + c + " has " + counts[c] + " images");
    }
  }

  @Test
  void pixelsAreSixteenthsInTheUnitInterval() {
    float[] x = digits.features().toFloats();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      float raw = v * 16;
      assertEquals(Math.round(raw), raw, 0, "pixel " + v + " is not a multiple of 1/16");
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
  }

  @Test
  void theFirstImageIsTheZeroInTheFile() {
    float[] x = digits.features().toFloats();
    for (int j = 0; j < 64; j++) {
      assertEquals(FIRST_IMAGE[j] / 16f, x[j], 0, "pixel " + j);
    }
    assertEquals(0, digits.labels().toLongs()[0]);
    assertEquals(8, digits.labels().toLongs()[1796]); // the last line ends in ",8"
  }

  @Test
  void imagesAreTheFeaturesAsOneChannel8x8() {
    Tensor images = Digits.images(digits.features());
    assertEquals(Shape.of(1797, 1, 8, 8), images.shape());
    // pixel (r, c) of image 0 is feature r·8 + c: row 2 is "0, 3, 15, 2, 0, 11, 8, 0"
    float[] x = images.slice(0, 0, 1).toFloats();
    assertEquals(15 / 16f, x[2 * 8 + 2], 0);
    assertEquals(11 / 16f, x[2 * 8 + 5], 0);
    LabeledData batch = digits.subset(new int[] {5, 6, 7});
    assertEquals(Shape.of(3, 1, 8, 8), Digits.images(batch.features()).shape());
  }
}
