package org.incipit.models.report;

import java.util.Arrays;

/** The numeric side of {@link Plots}: drawable points, thinning, ranges and tick-label patterns. */
final class PlotData {
  /** Series longer than this are thinned to at most {@code 3 * BUCKETS} points. */
  static final int MAX_POINTS = 2000;
  static final int BUCKETS = 1000;

  private PlotData() {}

  /**
   * {@code {x, y}} without the points whose x is not finite; a y that cannot be drawn (NaN,
   * infinite, or ≤ 0 on a log axis) becomes NaN, which XChart draws as a gap.
   */
  static double[][] drawable(double[] x, double[] y, boolean logY) {
    int n = (int) Arrays.stream(x).filter(Double::isFinite).count();
    double[][] out = {new double[n], new double[n]};
    for (int i = 0, j = 0; i < x.length; i++) {
      if (Double.isFinite(x[i])) {
        boolean ok = Double.isFinite(y[i]) && (!logY || y[i] > 0);
        out[0][j] = x[i];
        out[1][j++] = ok ? y[i] : Double.NaN;
      }
    }
    return out;
  }

  /**
   * Thins a series of more than {@link #MAX_POINTS} points: it is cut into {@link #BUCKETS} runs
   * of consecutive points, and each run keeps its lowest and highest point and its first gap, in
   * their order, so spikes and divergence stay visible. A chart is 720 units wide; more points only
   * add bytes.
   */
  static double[][] thin(double[][] xy) {
    int n = xy[0].length;
    if (n <= MAX_POINTS) {
      return xy;
    }
    double[] x = new double[3 * BUCKETS];
    double[] y = new double[3 * BUCKETS];
    int k = 0;
    for (int b = 0; b < BUCKETS; b++) {
      int from = (int) ((long) b * n / BUCKETS);
      int to = (int) ((long) (b + 1) * n / BUCKETS);
      int lo = -1;
      int hi = -1;
      int gap = -1;
      for (int i = from; i < to; i++) {
        double v = xy[1][i];
        if (Double.isNaN(v)) {
          gap = gap < 0 ? i : gap;
        } else {
          lo = lo < 0 || v < xy[1][lo] ? i : lo;
          hi = hi < 0 || v > xy[1][hi] ? i : hi;
        }
      }
      int[] keep = {lo, hi, gap};
      Arrays.sort(keep);
      int last = -1;
      for (int i : keep) {
        if (i >= 0 && i != last) {
          x[k] = xy[0][i];
          y[k++] = xy[1][i];
          last = i;
        }
      }
    }
    return new double[][] {Arrays.copyOf(x, k), Arrays.copyOf(y, k)};
  }

  /** Widens {@code range = {min, max}} by the non-NaN values. */
  static void extend(double[] range, double[] values) {
    for (double v : values) {
      if (!Double.isNaN(v)) {
        range[0] = Math.min(range[0], v);
        range[1] = Math.max(range[1], v);
      }
    }
  }

  /**
   * A {@link java.text.DecimalFormat} pattern for the tick labels of an axis over [lo, hi]: enough
   * decimals for ticks a tenth of the span apart, always with a leading zero ({@code 0.05}, where
   * XChart's own choice prints {@code .05}), and scientific for magnitudes below 1e-3 or from 1e6.
   */
  static String decimalPattern(double lo, double hi) {
    double magnitude = Math.max(Math.abs(lo), Math.abs(hi));
    if (magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
      return "0.##E0";
    }
    double span = hi - lo > 0 ? hi - lo : magnitude > 0 ? magnitude : 1;
    int decimals = Math.max(0, 1 - (int) Math.floor(Math.log10(span)));
    return decimals == 0 ? "0" : "0." + "#".repeat(decimals);
  }
}
