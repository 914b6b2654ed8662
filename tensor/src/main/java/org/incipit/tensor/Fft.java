package org.incipit.tensor;

import org.incipit.tensor.cpu.Parallel;

/**
 * The discrete Fourier transform on host arrays in double precision: iterative radix-2
 * Cooley–Tukey (Cooley &amp; Tukey 1965, "An Algorithm for the Machine Calculation of Complex
 * Fourier Series", Math. Comp. 19(90)), a real-input transform built on it, and the causal
 * convolution and correlation of real rows that the {@code FftConv} op computes with it.
 *
 * <pre>
 * forward  X[k] = Σ_{j&lt;m} x[j]·e^(−2πi·jk/m)            complex length m = 2^p
 * inverse  x[j] = (1/m)·Σ_{k&lt;m} X[k]·e^(+2πi·jk/m)
 * </pre>
 *
 * <p>Real input. A real sequence x of even length n = 2m is transformed with one complex
 * transform of length m: z[j] = x[2j] + i·x[2j+1], Z = FFT_m(z), then, with w = e^(−2πi/n),
 * <pre>
 * E[k] = (Z[k] + conj Z[m−k]) / 2        (the transform of the even samples)
 * O[k] = (Z[k] − conj Z[m−k]) / 2i       (the transform of the odd samples)
 * X[k] = E[k] + w^k·O[k],   k = 0 … m    (the n/2 + 1 bins; the others are conj X[n−k])
 * </pre>
 * and the inverse runs these steps backwards. A plan ({@code Fft} instance) holds the twiddles
 * e^(−2πik/n), k &lt; m, each computed directly by cos/sin (no recurrence, so no drift), and the
 * bit-reversal permutation; it is immutable and may be shared by threads.
 *
 * <pre>{@code
 * Fft plan = Fft.ofRealLength(8);
 * double[] re = new double[5], im = new double[5];
 * plan.rfft(new double[] {1, 2, 3}, 0, 3, re, im);   // x zero-padded to 8
 * }</pre>
 */
public final class Fft {
  private final int m;
  private final double[] cos;
  private final double[] sin;
  private final int[] reversed;

  private Fft(int m) {
    if (m < 1 || Integer.bitCount(m) != 1) {
      throw new IllegalArgumentException("fft: the length must be a power of two, got " + m);
    }
    this.m = m;
    this.cos = new double[m];
    this.sin = new double[m];
    for (int k = 0; k < m; k++) {
      double angle = Math.PI * k / m; // 2πk / (2m)
      cos[k] = StrictMath.cos(angle);
      sin[k] = StrictMath.sin(angle);
    }
    this.reversed = new int[m];
    int bits = Integer.numberOfTrailingZeros(m);
    for (int i = 0; i < m; i++) {
      reversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }
  }

  /** A plan for complex transforms of length {@code m} (a power of two) and real ones of length 2m. */
  public static Fft ofComplexLength(int m) {
    return new Fft(m);
  }

  /** A plan for real transforms of length {@code n} (a power of two, at least 2). */
  public static Fft ofRealLength(int n) {
    if (n < 2) {
      throw new IllegalArgumentException("rfft: the length must be a power of two of at least 2, got " + n);
    }
    return new Fft(n / 2);
  }

  /** The smallest power of two that is at least {@code n} (1 for n ≤ 1). */
  public static int nextPowerOfTwo(int n) {
    if (n > (1 << 30)) {
      throw new IllegalArgumentException("fft: length " + n + " is too large");
    }
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  public int complexLength() {
    return m;
  }

  public int realLength() {
    return 2 * m;
  }

  /** The forward transform of (re, im), in place. Modified: re, im. */
  public void forward(double[] re, double[] im) {
    transform(re, im, -1);
  }

  /** The inverse transform of (re, im), in place, including the factor 1/m. Modified: re, im. */
  public void inverse(double[] re, double[] im) {
    transform(re, im, 1);
    double s = 1.0 / m;
    for (int i = 0; i < m; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }

  /** Unscaled transform with kernel e^(sign·2πi·jk/m): bit reversal, then log₂ m butterfly stages. */
  private void transform(double[] re, double[] im, int sign) {
    if (re.length < m || im.length < m) {
      throw new IllegalArgumentException("fft: arrays of length " + re.length + " and " + im.length
          + " are shorter than the plan's " + m);
    }
    for (int i = 0; i < m; i++) {
      int j = reversed[i];
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int size = 2; size <= m; size <<= 1) {
      int half = size >> 1;
      int stride = 2 * m / size; // e^(2πik/size) is entry k·stride of the 2m-th roots
      for (int start = 0; start < m; start += size) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * stride];
          double wi = sign * sin[k * stride];
          int p = start + k;
          int q = p + half;
          double br = re[q] * wr - im[q] * wi;
          double bi = re[q] * wi + im[q] * wr;
          re[q] = re[p] - br;
          im[q] = im[p] - bi;
          re[p] += br;
          im[p] += bi;
        }
      }
    }
  }

  /**
   * The n/2 + 1 bins X[0 … m] of the real sequence {@code x[from … from+len)} zero-padded to n = 2m.
   * Not modified: x. Modified: re, im (length ≥ m + 1).
   */
  public void rfft(double[] x, int from, int len, double[] re, double[] im) {
    if (len > 2 * m) {
      throw new IllegalArgumentException("rfft: " + len + " samples do not fit the plan's length " + 2 * m);
    }
    double[] zr = new double[m];
    double[] zi = new double[m];
    for (int j = 0; j < len; j++) {
      if ((j & 1) == 0) {
        zr[j >> 1] = x[from + j];
      } else {
        zi[j >> 1] = x[from + j];
      }
    }
    forward(zr, zi);
    for (int k = 0; k <= m; k++) {
      int k1 = k % m;
      int k2 = (m - k) % m;
      double er = (zr[k1] + zr[k2]) / 2;
      double ei = (zi[k1] - zi[k2]) / 2;
      double or = (zi[k1] + zi[k2]) / 2;
      double oi = (zr[k2] - zr[k1]) / 2;
      double wr = k < m ? cos[k] : -1;
      double wi = k < m ? -sin[k] : 0;
      re[k] = er + wr * or - wi * oi;
      im[k] = ei + wr * oi + wi * or;
    }
  }

  /**
   * The real sequence of length n = 2m whose bins X[0 … m] are (re, im) (Hermitian symmetry
   * supplies the rest). Not modified: re, im. Modified: out (length ≥ n).
   */
  public void irfft(double[] re, double[] im, double[] out) {
    double[] zr = new double[m];
    double[] zi = new double[m];
    for (int k = 0; k < m; k++) {
      double er = (re[k] + re[m - k]) / 2;
      double ei = (im[k] - im[m - k]) / 2;
      double dr = (re[k] - re[m - k]) / 2;
      double di = (im[k] + im[m - k]) / 2;
      double or = dr * cos[k] - di * sin[k]; // O[k] = D[k]·e^(+2πik/n)
      double oi = dr * sin[k] + di * cos[k];
      zr[k] = er - oi;                       // Z[k] = E[k] + i·O[k]
      zi[k] = ei + or;
    }
    inverse(zr, zi);
    for (int j = 0; j < m; j++) {
      out[2 * j] = zr[j];
      out[2 * j + 1] = zi[j];
    }
  }

  /**
   * Causal convolution or correlation of real rows of length L, by FFT with zero padding to
   * n = the power of two ≥ 2L, so that the circular result equals the linear one on 0 … L−1:
   * <pre>
   * convolve   y[t] = Σ_{s=0}^{t} a[s]·b[t−s]     = irfft(rfft(a)·rfft(b))[t]
   * correlate  y[s] = Σ_{t=s}^{L−1} a[t]·b[t−s]   = irfft(rfft(a)·conj rfft(b))[s]
   * </pre>
   * Output row r pairs row {@code rowA[r]} of {@code a} with row {@code rowB[r]} of {@code b}
   * (how broadcasting reuses a row); each input row is transformed once.
   *
   * @param a rows of length {@code length}, row-major. Not modified.
   * @param b rows of length {@code length}, row-major. Not modified.
   * @return the output rows, row-major (rowA.length × length)
   */
  public static double[] causal(boolean correlate, double[] a, int[] rowA, double[] b, int[] rowB, int length) {
    if (length < 1 || rowA.length != rowB.length) {
      throw new IllegalArgumentException("causal fft: needs a positive length and as many rows of a as of b, got length "
          + length + ", " + rowA.length + " and " + rowB.length + " rows");
    }
    Fft plan = ofRealLength(Math.max(2, nextPowerOfTwo(2 * length)));
    double[][] specA = plan.spectra(a, length);
    double[][] specB = plan.spectra(b, length);
    int bins = plan.m + 1;
    double[] out = new double[rowA.length * length];
    Parallel.range(rowA.length, 8, (from, to) -> {
      double[] re = new double[bins];
      double[] im = new double[bins];
      double[] y = new double[2 * plan.m];
      for (int r = from; r < to; r++) {
        double[] sa = specA[rowA[r]];
        double[] sb = specB[rowB[r]];
        for (int k = 0; k < bins; k++) {
          double ar = sa[k];
          double ai = sa[bins + k];
          double br = sb[k];
          double bi = correlate ? -sb[bins + k] : sb[bins + k];
          re[k] = ar * br - ai * bi;
          im[k] = ar * bi + ai * br;
        }
        plan.irfft(re, im, y);
        System.arraycopy(y, 0, out, r * length, length);
      }
    });
    return out;
  }

  /** rfft of every row of x (rows of {@code length}): each spectrum is (re[0 … m], im[0 … m]) in one array. */
  private double[][] spectra(double[] x, int length) {
    int rows = x.length / length;
    int bins = m + 1;
    double[][] out = new double[rows][];
    Parallel.range(rows, 8, (from, to) -> {
      double[] re = new double[bins];
      double[] im = new double[bins];
      for (int r = from; r < to; r++) {
        rfft(x, r * length, length, re, im);
        double[] s = new double[2 * bins];
        System.arraycopy(re, 0, s, 0, bins);
        System.arraycopy(im, 0, s, bins, bins);
        out[r] = s;
      }
    });
    return out;
  }
}
