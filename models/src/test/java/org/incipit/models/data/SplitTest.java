package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

class SplitTest {
  /** N examples whose single feature is their row number, labels row mod classes. */
  static LabeledData numbered(int n, int classes) {
    float[] x = new float[n];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = i % classes;
    }
    return new LabeledData(Tensors.of(x, n, 1), Tensors.ofLongs(y, n), classes);
  }

  static int[] rows(LabeledData d) {
    float[] x = d.features().toFloats();
    return IntStream.range(0, x.length).map(i -> (int) x[i]).toArray();
  }

  @Test
  void digitsSplitSizes() {
    Split s = Split.of(Digits.load(), 0.2, Rng.seeded(42).fork("split"));
    assertEquals(359, s.validation().size()); // round(0.2 · 1797)
    assertEquals(1438, s.train().size());
    assertEquals(10, s.train().classes());
  }

  @Test
  void partsAreDisjointAndCoverTheData() {
    Split s = Split.of(numbered(101, 3), 0.3, Rng.seeded(7));
    int[] all = IntStream.concat(Arrays.stream(rows(s.train())), Arrays.stream(rows(s.validation())))
        .sorted().toArray();
    assertArrayEquals(IntStream.range(0, 101).toArray(), all);
    assertEquals(30, s.validation().size());
    // labels travel with their rows
    long[] y = s.validation().labels().toLongs();
    int[] r = rows(s.validation());
    for (int i = 0; i < r.length; i++) {
      assertEquals(r[i] % 3, y[i]);
    }
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
    LabeledData d = numbered(200, 2);
    Split a = Split.of(d, 0.25, Rng.seeded(1).fork("split"));
    Split b = Split.of(d, 0.25, Rng.seeded(1).fork("split"));
    Split c = Split.of(d, 0.25, Rng.seeded(2).fork("split"));
    assertArrayEquals(rows(a.train()), rows(b.train()));
    assertArrayEquals(rows(a.validation()), rows(b.validation()));
    assertFalse(Arrays.equals(rows(a.train()), rows(c.train())));
    assertFalse(Arrays.equals(rows(a.validation()), rows(c.validation())));
  }

  @Test
  void theValidationRowsComeFromThePermutation() {
    Rng rng = Rng.seeded(3);
    Split s = Split.of(numbered(50, 5), 0.2, rng);
    int[] p = rng.permutation(50);
    assertArrayEquals(Arrays.copyOfRange(p, 0, 10), rows(s.validation()));
    assertArrayEquals(Arrays.copyOfRange(p, 10, 50), rows(s.train()));
  }

  @Test
  void stratifiedSplitsKeepTheClassShares() {
    Split s = Split.stratified(Iris.load(), 0.2, Rng.seeded(42).fork("split"));
    assertArrayEquals(new int[] {10, 10, 10}, s.validation().classCounts());
    assertArrayEquals(new int[] {40, 40, 40}, s.train().classCounts());
    Split d = Split.stratified(Digits.load(), 0.1, Rng.seeded(42));
    int[] v = d.validation().classCounts();
    int[] all = DigitsTest.CLASS_COUNTS;
    for (int c = 0; c < 10; c++) {
      assertEquals(Math.round(all[c] * 0.1), v[c], "digit " + c);
    }
    Split n = Split.stratified(numbered(90, 3), 0.5, Rng.seeded(5));
    int[] joined = IntStream.concat(Arrays.stream(rows(n.train())), Arrays.stream(rows(n.validation())))
        .sorted().toArray();
    assertArrayEquals(IntStream.range(0, 90).toArray(), joined);
  }

  /** Mean and population standard deviation of column j of a (N, D) row-major array. */
  static double[] meanStd(double[] x, int d, int j) {
    int n = x.length / d;
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += x[i * d + j] / n;
    }
    double var = 0;
    for (int i = 0; i < n; i++) {
      var += (x[i * d + j] - mean) * (x[i * d + j] - mean) / n;
    }
    return new double[] {mean, Math.sqrt(var)};
  }

  @Test
  void standardisingUsesTrainingStatisticsOnly() {
    Split raw = Split.stratified(Iris.load(), 0.2, Rng.seeded(9));
    Split z = raw.standardized();
    double[] rawTrain = raw.train().features().toDoubles();   // (120, 4)
    double[] rawVal = raw.validation().features().toDoubles(); // (30, 4)
    double[] train = z.train().features().toDoubles();
    double[] val = z.validation().features().toDoubles();
    for (int j = 0; j < 4; j++) {
      double[] standardised = meanStd(train, 4, j);
      assertEquals(0, standardised[0], 1e-5, "train mean of feature " + j);
      assertEquals(1, standardised[1], 1e-5, "train std of feature " + j);
      double[] stats = meanStd(rawTrain, 4, j);
      for (int i = 0; i < 30; i++) {
        assertEquals((rawVal[i * 4 + j] - stats[0]) / stats[1], val[i * 4 + j], 1e-5, "validation " + i + ", " + j);
      }
    }
    assertArrayEquals(raw.validation().labels().toLongs(), z.validation().labels().toLongs());
    assertEquals(raw.train().features().dtype(), z.train().features().dtype());
  }

  @Test
  void badFractionsAreRejected() {
    LabeledData d = numbered(10, 2);
    assertThrows(IllegalArgumentException.class, () -> Split.of(d, 0, Rng.seeded(1)));
    assertThrows(IllegalArgumentException.class, () -> Split.of(d, 1, Rng.seeded(1)));
    assertThrows(IllegalArgumentException.class, () -> Split.of(d, 0.01, Rng.seeded(1)));
    assertThrows(IllegalArgumentException.class, () -> Split.stratified(d, Double.NaN, Rng.seeded(1)));
  }
}
