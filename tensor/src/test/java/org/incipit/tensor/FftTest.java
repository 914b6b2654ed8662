package org.incipit.tensor;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The FFT against the definition: the complex transform against a naive O(m²) DFT, the real-input
 * transform against the DFT of the zero-padded sequence (any length, mostly not powers of two), and
 * the causal convolution and correlation against direct sums. Errors are measured against the
 * scale of the FFT's rounding error, not against each value (which may cancel to near 0): Σ|x|
 * for a transform's bins, ‖a‖₂·‖b‖₂ (the Cauchy–Schwarz bound of every output) for a
 * convolution. The largest errors seen on 300 seeds are 2.6e-16 (complex), 3.6e-16 (real input)
 * and 3.3e-16 (convolution) of that scale; the tolerance is 1e-12. Lengths are drawn with their
 * ends (1, the maximum) and, for the real transform, the powers of two around them mixed in.
 */
class FftTest {
  static final double TOL = 1e-12;

  /** Integers in [lo, hi], one draw in five taken from {@code edges}. */
  static Gen<Integer> between(int lo, int hi, Integer... edges) {
    return integers().between(lo, hi).mix(Generate.pick(List.of(edges)), 20);
  }

  /** The naive DFT X[k] = Σ x[j]·e^(−2πi·jk/n) in (re, im), and Σ|x| (the scale of every bin). */
  static double[][] dft(double[] re, double[] im) {
    int n = re.length;
    double[] xr = new double[n];
    double[] xi = new double[n];
    double scale = 0;
    for (int j = 0; j < n; j++) {
      scale += Math.hypot(re[j], im[j]);
    }
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < n; j++) {
        double a = -2 * Math.PI * ((long) j * k % n) / n; // reduce jk mod n before the angle
        xr[k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
        xi[k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
      }
    }
    return new double[][] {xr, xi, {scale}};
  }

  @Test
  void complexTransformMatchesTheNaiveDft() {
    qt().withFixedSeed(1965L).withExamples(60).forAll(between(0, 9, 0, 1, 9), longs().all())
        .checkAssert(FftTest::complexRoundTripMatchesTheDft);
  }

  static void complexRoundTripMatchesTheDft(int log2, long seed) {
    int m = 1 << log2;
    Rng rng = Rng.seeded(seed);
    double[] re = rng.fork("re").normal(m);
    double[] im = rng.fork("im").normal(m);
    double[][] want = dft(re, im);
    double[] fr = re.clone();
    double[] fi = im.clone();
    Fft plan = Fft.ofComplexLength(m);
    plan.forward(fr, fi);
    for (int k = 0; k < m; k++) {
      assertEquals(want[0][k], fr[k], TOL * want[2][0], "re X[" + k + "], m = " + m);
      assertEquals(want[1][k], fi[k], TOL * want[2][0], "im X[" + k + "], m = " + m);
    }
    plan.inverse(fr, fi);
    for (int j = 0; j < m; j++) {
      assertEquals(re[j], fr[j], TOL * want[2][0], "inverse(forward(x)) = x");
      assertEquals(im[j], fi[j], TOL * want[2][0], "inverse(forward(x)) = x");
    }
  }

  @Test
  void realTransformOfAnyLengthMatchesTheDftOfTheZeroPaddedSequence() {
    qt().withFixedSeed(1966L).withExamples(80)
        .forAll(between(1, 300, 1, 2, 3, 255, 256, 257, 300), integers().between(0, 2), longs().all())
        .checkAssert(FftTest::realTransformMatchesTheDft);
  }

  static void realTransformMatchesTheDft(int len, int extra, long seed) {
    int n = Math.max(2, Fft.nextPowerOfTwo(len) << extra);
    double[] x = Rng.seeded(seed).normal(len + 3);
    double[] padded = new double[n];
    System.arraycopy(x, 3, padded, 0, len); // the input starts at an offset
    double[][] want = dft(padded, new double[n]);
    Fft plan = Fft.ofRealLength(n);
    double[] re = new double[n / 2 + 1];
    double[] im = new double[n / 2 + 1];
    plan.rfft(x, 3, len, re, im);
    for (int k = 0; k <= n / 2; k++) {
      assertEquals(want[0][k], re[k], TOL * want[2][0], "re X[" + k + "], len " + len + ", n " + n);
      assertEquals(want[1][k], im[k], TOL * want[2][0], "im X[" + k + "], len " + len + ", n " + n);
    }
    double[] back = new double[n];
    plan.irfft(re, im, back);
    for (int j = 0; j < n; j++) {
      assertEquals(padded[j], back[j], TOL * want[2][0], "irfft(rfft(x)) = x at " + j);
    }
  }

  /** y[t] = Σ_{s≤t} a[s]·b[t−s] (or y[s] = Σ_{t≥s} a[t]·b[t−s]) directly, and ‖a‖₂·‖b‖₂. */
  static double[][] direct(boolean correlate, double[] a, int ra, double[] b, int rb, int len) {
    double[] y = new double[len];
    double na = 0;
    double nb = 0;
    for (int i = 0; i < len; i++) {
      na += a[ra * len + i] * a[ra * len + i];
      nb += b[rb * len + i] * b[rb * len + i];
    }
    for (int i = 0; i < len; i++) {
      for (int d = 0; d < len; d++) { // the term with b[d]: a[i − d] (convolve) or a[i + d] (correlate)
        int at = correlate ? i + d : i - d;
        if (at >= 0 && at < len) {
          y[i] += a[ra * len + at] * b[rb * len + d];
        }
      }
    }
    return new double[][] {y, {Math.sqrt(na * nb)}};
  }

  /** Rows of the two operands, each 1–3 (as an int pair, so the theory has at most four sources). */
  @Test
  void causalConvolutionAndCorrelationMatchDirectSums() {
    Gen<int[]> operandRows = integers().between(1, 3).zip(integers().between(1, 3), (a, b) -> new int[] {a, b})
        .describedAs(Arrays::toString);
    qt().withFixedSeed(1967L).withExamples(120)
        .forAll(between(1, 130, 1, 2, 128, 129, 130), operandRows, booleans().all(), longs().all())
        .checkAssert((len, rows, correlate, seed) -> causalMatchesDirectSums(len, rows[0], rows[1], correlate, seed));
  }

  static void causalMatchesDirectSums(int len, int rowsA, int rowsB, boolean correlate, long seed) {
    Rng rng = Rng.seeded(seed);
    double[] a = rng.fork("a").normal(rowsA * len);
    double[] b = rng.fork("b").normal(rowsB * len);
    int rows = 5;
    int[] ia = new int[rows];
    int[] ib = new int[rows];
    for (int r = 0; r < rows; r++) { // rows reused in both operands, as broadcasting does
      ia[r] = r % rowsA;
      ib[r] = (r * 2 + 1) % rowsB;
    }
    double[] y = Fft.causal(correlate, a, ia, b, ib, len);
    for (int r = 0; r < rows; r++) {
      double[][] want = direct(correlate, a, ia[r], b, ib[r], len);
      for (int t = 0; t < len; t++) {
        assertEquals(want[0][t], y[r * len + t], TOL * want[1][0],
            (correlate ? "correlation" : "convolution") + " row " + r + " at " + t + ", length " + len);
      }
    }
  }

  @Test
  void smallCasesByHand() {
    // (1, 2, 3) ∗ (1, 1, 0): y = (1, 1+2, 2+3) causal
    assertArrayEquals(new double[] {1, 3, 5},
        Fft.causal(false, new double[] {1, 2, 3}, new int[] {0}, new double[] {1, 1, 0}, new int[] {0}, 3), 1e-15);
    // correlation: y[s] = Σ_t a[t]·b[t−s] with a = (1, 2, 3), b = (1, 1, 0): (1+2, 2+3, 3)
    assertArrayEquals(new double[] {3, 5, 3},
        Fft.causal(true, new double[] {1, 2, 3}, new int[] {0}, new double[] {1, 1, 0}, new int[] {0}, 3), 1e-15);
    // length 1: a plain product
    assertArrayEquals(new double[] {-6}, Fft.causal(false, new double[] {2}, new int[] {0}, new double[] {-3},
        new int[] {0}, 1), 0.0);
  }

  @Test
  void lengthsAndPlansAreChecked() {
    assertEquals(1, Fft.nextPowerOfTwo(0));
    assertEquals(1, Fft.nextPowerOfTwo(1));
    assertEquals(2, Fft.nextPowerOfTwo(2));
    assertEquals(8, Fft.nextPowerOfTwo(5));
    assertEquals(1024, Fft.nextPowerOfTwo(1024));
    assertEquals(2048, Fft.nextPowerOfTwo(1025));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fft.ofComplexLength(12));
    assertTrue(e.getMessage().contains("power of two") && e.getMessage().contains("12"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Fft.ofRealLength(1));
    Fft plan = Fft.ofRealLength(8);
    assertEquals(4, plan.complexLength());
    assertEquals(8, plan.realLength());
    e = assertThrows(IllegalArgumentException.class, () -> plan.rfft(new double[9], 0, 9, new double[5], new double[5]));
    assertTrue(e.getMessage().contains("9"), e.getMessage());
  }
}
