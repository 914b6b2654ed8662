package org.incipit.models.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PlotsTest {
  private static final double NAN = Double.NaN;

  /** The text of the chart's {@code <desc>}, which lists the series as drawn. */
  private static String desc(String svg) {
    Matcher m = Pattern.compile("<desc>(.*?)</desc>").matcher(svg);
    assertTrue(m.find(), "no <desc> in the svg");
    return m.group(1);
  }

  private static void assertInlineSvg(String svg) {
    assertTrue(svg.startsWith("<svg "), svg.substring(0, Math.min(80, svg.length())));
    assertTrue(svg.strip().endsWith("</svg>"));
    assertFalse(svg.contains("<?xml") || svg.contains("<!DOCTYPE"), "prolog and doctype are stripped");
    assertTrue(svg.contains("viewBox=\"0 0 720 "), "scales with a viewBox");
    assertTrue(svg.contains("<path "), "something is drawn");
  }

  @Test
  void aSeriesWithNaNAndInfinityIsDrawnWithItsName() {
    String svg = Plots.lines("Loss", Plots.Axes.linear("step", "loss"), List.of(
        Plots.Series.of("xavier", new double[] {2.3, 1.2, NAN, 0.6, Double.POSITIVE_INFINITY, 0.3}),
        Plots.Series.of("standard", new double[] {2.3, 2.2, 2.1, 2.0, 1.9, 1.8})));
    assertInlineSvg(svg);
    assertEquals("Series: xavier, standard. x: step; y: loss.", desc(svg));
    assertTrue(svg.contains("<title>Loss</title>"));
  }

  @Test
  void aLogScaleChartSurvivesZeroNegativeAndNaN() {
    String svg = Plots.lines("Gradient norm", Plots.Axes.logY("step", "‖g‖"), List.of(
        Plots.Series.of("he", new double[] {1e-3, 0, -5, NAN, 1e2, 3e4}),
        Plots.Series.of("lecun <&>", new double[] {0.5, 0.4, 0.45, 0.41})));
    assertInlineSvg(svg);
    assertEquals("Series: he, lecun &lt;&amp;&gt;. x: step; y: ‖g‖ (log scale).", desc(svg));
  }

  @Test
  void aSeriesWithoutAnyDrawablePointStaysInTheLegend() {
    String linear = Plots.lines("t", Plots.Axes.linear("x", "y"), List.of(
        Plots.Series.of("diverged", new double[] {NAN, Double.NEGATIVE_INFINITY}),
        Plots.Series.of("empty", new double[0]),
        Plots.Series.of("fine", new double[] {1, 2})));
    assertEquals("Series: diverged (no finite values), empty (no finite values), fine. x: x; y: y.", desc(linear));
    String log = Plots.lines("t", Plots.Axes.logY("x", "y"), List.of(
        Plots.Series.of("all zero", new double[] {0, 0, 0})));
    assertInlineSvg(log);
    assertTrue(desc(log).startsWith("Series: all zero (no finite values)."));
  }

  @Test
  void aChartWithoutSeriesIsStillAChart() {
    String svg = Plots.lines("nothing yet", Plots.Axes.logY("step", "loss"), List.of());
    assertTrue(svg.startsWith("<svg ") && svg.contains("viewBox=\"0 0 720 420\""));
    assertEquals("Series: . x: step; y: loss (log scale).", desc(svg));
  }

  @Test
  void longLegendsGetARowPerSeriesAndATallerChart() {
    List<Plots.Series> series = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      series.add(Plots.Series.of("orthogonal initialization with gain √2, variant " + i, new double[] {1, 2}));
    }
    String svg = Plots.lines("t", Plots.Axes.linear("x", "y"), series);
    assertTrue(svg.contains("viewBox=\"0 0 720 492\""), svg.substring(0, 200));
  }

  @Test
  void pointsWithNonFiniteXAreDropped() {
    String svg = Plots.lines("t", Plots.Axes.linear("x", "y"), List.of(
        new Plots.Series("s", new double[] {1, NAN, 3, Double.POSITIVE_INFINITY}, new double[] {1, 2, 3, 4})));
    assertInlineSvg(svg);
    double[][] xy = PlotData.drawable(new double[] {1, NAN, 3}, new double[] {1, 2, -3}, true);
    assertEquals(2, xy[0].length);
    assertEquals(3.0, xy[0][1]);
    assertTrue(Double.isNaN(xy[1][1]), "y ≤ 0 on a log axis becomes a gap");
  }

  @Test
  void layerProfileNamesEachSchemeAndTheLogQuantity() {
    Map<String, double[]> v = new LinkedHashMap<>();
    v.put("standard", new double[] {1, 0.4, 0.16, 0.064, 0.0256});
    v.put("xavier", new double[] {1, 0.98, 0.97, 0.95, 0.96});
    v.put("dead", new double[] {1, 0, 0, 0, 0});
    String svg = Plots.layerProfile("Activation variance", "activation variance", v);
    assertInlineSvg(svg);
    assertEquals("Series: standard, xavier, dead. x: layer; y: log10 activation variance.", desc(svg));
  }

  @Test
  void repeatedNamesAreKeptApart() {
    String svg = Plots.lines("t", Plots.Axes.linear("x", "y"), List.of(
        Plots.Series.of("a", new double[] {1, 2}), Plots.Series.of("a", new double[] {2, 1})));
    assertEquals("Series: a, a (2). x: x; y: y.", desc(svg));
  }

  @Test
  void outputIsReproducibleAndCompact() {
    double[] loss = new double[1000];
    for (int i = 0; i < loss.length; i++) {
      loss[i] = 2.3 * Math.exp(-i / 200.0);
    }
    List<Plots.Series> series = List.of(Plots.Series.of("a", loss), Plots.Series.of("b", loss.clone()));
    String svg = Plots.lines("t", Plots.Axes.logY("step", "loss"), series);
    assertEquals(svg, Plots.lines("t", Plots.Axes.logY("step", "loss"), series), "no random ids");
    assertTrue(svg.contains("id=\"id1\""), "ids renumbered");
    assertFalse(svg.contains("<line "), "segments of a series are joined into one path");
    assertFalse(Pattern.compile("\\d\\.\\d{3}").matcher(svg).find(), "coordinates rounded to 2 decimals");
    assertTrue(svg.length() < 150_000, "size " + svg.length());
  }

  @Test
  void longSeriesAreThinnedButKeepSpikesAndGaps() {
    int n = 100_000;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = 1.0;
    }
    y[54_321] = 50.0;
    y[70_000] = NAN;
    double[][] thin = PlotData.thin(new double[][] {x, y});
    assertTrue(thin[0].length <= 3 * PlotData.BUCKETS, "kept " + thin[0].length);
    assertEquals(50.0, java.util.Arrays.stream(thin[1]).filter(v -> !Double.isNaN(v)).max().orElseThrow());
    assertTrue(java.util.Arrays.stream(thin[1]).anyMatch(Double::isNaN), "the gap survives");
    for (int i = 1; i < thin[0].length; i++) {
      assertTrue(thin[0][i] > thin[0][i - 1], "x stays increasing");
    }
    String svg = Plots.lines("t", Plots.Axes.linear("step", "loss"), List.of(new Plots.Series("long", x, y)));
    assertTrue(svg.length() < 200_000, "size " + svg.length());
  }

  @Test
  void tickLabelPatternsKeepTheLeadingZero() {
    assertEquals("0.##", PlotData.decimalPattern(0, 0.5));
    assertEquals("0.#", PlotData.decimalPattern(0, 5));
    assertEquals("0", PlotData.decimalPattern(0, 1000));
    assertEquals("0.##E0", PlotData.decimalPattern(0, 1e-5));
    assertEquals("0.##E0", PlotData.decimalPattern(0, 2e7));
    assertEquals("0.05", new java.text.DecimalFormat(PlotData.decimalPattern(0, 0.5)).format(0.05));
  }

  @Test
  void runsHeadless() {
    Plots.lines("t", Plots.Axes.linear("x", "y"), List.of(Plots.Series.of("a", new double[] {1})));
    assertEquals("true", System.getProperty("java.awt.headless"));
    assertTrue(GraphicsEnvironment.isHeadless());
  }

  @Test
  void seriesCopiesItsArraysAndChecksLengths() {
    double[] y = {1, 2};
    Plots.Series s = Plots.Series.of("s", y);
    y[0] = 9;
    assertEquals(1.0, s.y()[0]);
    s.y()[1] = 9;
    assertEquals(2.0, s.y()[1]);
    assertEquals(List.of(1.0, 2.0), java.util.Arrays.stream(s.x()).boxed().toList());
    assertThrows(IllegalArgumentException.class, () -> new Plots.Series("s", new double[2], new double[3]));
  }
}
