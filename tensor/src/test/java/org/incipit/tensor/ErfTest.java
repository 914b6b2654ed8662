package org.incipit.tensor;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.tensor.ErrorFunction;
import org.junit.jupiter.api.Test;

class ErfTest {
  /** The fast kernel agrees with the slow series/continued-fraction reference everywhere. */
  @Test
  void fastErfMatchesTheReference() {
    double worst = 0;
    for (int i = -800_000; i <= 800_000; i++) {
      double x = i * 1e-5; // [−8, 8]
      worst = Math.max(worst, Math.abs(ErrorFunction.erf(x) - ErrorFunction.reference(x)));
    }
    assertTrue(worst < 4e-15, "max |fast − reference| = " + worst);
    for (double tiny : new double[] {1e-300, 1e-20, 1e-9}) {
      assertEquals(2 / Math.sqrt(Math.PI) * tiny, ErrorFunction.erf(tiny), 1e-15 * tiny, "relative accuracy near 0");
    }
    assertTrue(Double.isNaN(ErrorFunction.erf(Double.NaN)));
    assertEquals(1.0, ErrorFunction.erf(Double.POSITIVE_INFINITY));
    assertEquals(-1.0, ErrorFunction.erf(-50));
  }

  /** Known values (glibc's erf via Python's math.erf, within an ulp). */
  @Test
  void knownValues() {
    assertEquals(0.8427007929497149, ErrorFunction.erf(1), 4e-15);
    assertEquals(0.5204998778130465, ErrorFunction.erf(0.5), 4e-15);
    assertEquals(0.9953222650189527, ErrorFunction.erf(2), 4e-15);
    assertEquals(0.9999779095030014, ErrorFunction.erf(3), 4e-15);
    assertEquals(0.3286267594591274, ErrorFunction.erf(0.3), 4e-15);
    assertEquals(0.8427007929497149, ErrorFunction.reference(1), 5e-16);
    assertEquals(0.9999779095030014, ErrorFunction.reference(3), 5e-16);
  }
}
