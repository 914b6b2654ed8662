package org.incipit.models.report;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts as SVG strings, drawn by XChart and encoded by VectorGraphics2D, ready for {@link
 * Figure}. Runs headless: the first use sets {@code java.awt.headless=true} unless the property
 * was given. Charts are {@value #WIDTH} user units wide and {@value #HEIGHT} high (24 more per
 * series when long names put the legend one per row), with a {@code viewBox}, so they scale to
 * any width. Text is drawn as outlines (XChart's way), so charts look the same in every browser; the
 * title and series names are repeated in {@code <title>}/{@code <desc>} for screen readers and
 * search. Series of more than 2000 points are thinned to the lowest and highest point of each of
 * 1000 runs. The same input gives the same bytes.
 *
 * <p><b>Values that cannot be drawn</b> never throw: a point whose x is NaN or infinite is dropped;
 * a y that is NaN, infinite, or ≤ 0 on a log axis becomes a gap in its line (the line breaks
 * there, it is not interpolated). A series left with no drawable point stays in the legend as
 * {@code "name (no finite values)"}.
 *
 * <pre>
 *   String svg = Plots.lines("Training loss", Plots.Axes.logY("step", "loss"),
 *       List.of(Plots.Series.of("xavier", lossXavier), Plots.Series.of("standard", lossStd)));
 *   report.add(new Figure("Training loss", svg));
 * </pre>
 */
public final class Plots {
  // First of all static initialisation: java.awt.Color's own initialiser already asks
  // GraphicsEnvironment whether it is headless, and the answer is cached for the JVM's lifetime.
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Chart width in SVG user units (pixels at 100 %). */
  public static final int WIDTH = 720;
  /** Chart height in SVG user units. */
  public static final int HEIGHT = 420;

  /** Series with at most this many points get markers; longer ones are plain lines. */
  private static final int MARKER_LIMIT = 30;
  /** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
  private static final Color[] PALETTE = {
    new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
    new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(240, 228, 66)};
  /** Solid, dashed, dotted, dash-dot: lines stay apart when printed in grey. */
  private static final BasicStroke[] STROKES = {
    stroke(), stroke(6f, 4f), stroke(1.5f, 3f), stroke(8f, 3f, 1.5f, 3f)};
  private static final Marker[] MARKERS = {
    SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
    SeriesMarkers.CROSS, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE};

  private Plots() {}

  /**
   * A named series of points; the arrays are copied.
   *
   * @param name shown in the legend
   * @param x the x of each point
   * @param y the y of each point, as many as x
   */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      Objects.requireNonNull(name, "name");
      if (x.length != y.length) {
        throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
            + y.length + " y values");
      }
      x = x.clone();
      y = y.clone();
    }

    /** A series at x = 1, 2, ..., n (steps, epochs, layers). */
    public static Series of(String name, double[] y) {
      double[] x = new double[y.length];
      Arrays.setAll(x, i -> i + 1);
      return new Series(name, x, y);
    }

    @Override
    public double[] x() {
      return x.clone();
    }

    @Override
    public double[] y() {
      return y.clone();
    }
  }

  /**
   * Axis titles and the y scale.
   *
   * @param x the x-axis title
   * @param y the y-axis title
   * @param logY whether the y axis is logarithmic (base 10, labelled at whole decades)
   */
  public record Axes(String x, String y, boolean logY) {
    public Axes {
      Objects.requireNonNull(x, "x");
      Objects.requireNonNull(y, "y");
    }

    /** Linear axes. */
    public static Axes linear(String x, String y) {
      return new Axes(x, y, false);
    }

    /** A linear x axis and a base-10 logarithmic y axis. */
    public static Axes logY(String x, String y) {
      return new Axes(x, y, true);
    }
  }

  /**
   * A line chart of {@code series}, with a legend, as an SVG document.
   *
   * @param title the chart's accessible title ({@code <title>}); the report shows it as the
   *     figure title, so it is not drawn inside the chart
   */
  public static String lines(String title, Axes axes, List<Series> series) {
    Objects.requireNonNull(title, "title");
    List<double[][]> points = new ArrayList<>();
    double[] xRange = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    double[] yRange = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (Series s : series) {
      double[][] xy = PlotData.thin(PlotData.drawable(s.x, s.y, axes.logY()));
      PlotData.extend(xRange, xy[0]);
      PlotData.extend(yRange, xy[1]);
      points.add(xy);
    }
    int legendChars = series.stream().mapToInt(s -> s.name().length() + 8).sum();
    boolean legendInRow = legendChars <= 75;
    int height = HEIGHT + (legendInRow ? 0 : 24 * Math.max(0, series.size() - 1));
    XYChart chart = new XYChart(WIDTH, height);
    chart.setXAxisTitle(axes.x());
    chart.setYAxisTitle(axes.y());
    XYStyler st = chart.getStyler();
    style(st, legendInRow);
    for (int i = 0; i < series.size(); i++) {
      double[][] xy = points.get(i);
      boolean empty = Arrays.stream(xy[1]).allMatch(Double::isNaN);
      String name = empty ? series.get(i).name() + " (no finite values)" : series.get(i).name();
      if (xy[0].length == 0) { // XChart rejects an empty series: one gap, inside the x range
        xy = new double[][] {{Double.isFinite(xRange[0]) ? xRange[0] : 0}, {Double.NaN}};
      }
      XYSeries drawn = chart.addSeries(uniqueName(chart, name), xy[0], xy[1]);
      drawn.setLineColor(PALETTE[i % PALETTE.length]);
      drawn.setMarkerColor(PALETTE[i % PALETTE.length]);
      drawn.setLineStyle(STROKES[i % STROKES.length]);
      drawn.setMarker(xy[0].length <= MARKER_LIMIT ? MARKERS[i % MARKERS.length] : SeriesMarkers.NONE);
    }
    xAxis(st, xRange, series);
    yAxis(st, yRange, axes.logY());
    String description = "Series: " + String.join(", ", chart.getSeriesMap().keySet()) + ". x: "
        + axes.x() + "; y: " + axes.y() + (axes.logY() ? " (log scale)." : ".");
    return encode(chart, height, title, description);
  }

  /**
   * A per-layer profile: x is the layer index (1 = first layer), y is log10 of the value, one
   * series per initialization scheme, e.g. the activation or gradient variance of each layer.
   * Values ≤ 0 or not finite have no logarithm and become gaps. For quantities that may be ≤ 0
   * or are fractions (activation means, dead-unit fractions), use {@link #lines} with {@link
   * Series#of}, whose x is also the layer index 1, 2, ....
   *
   * @param quantity what the values are, e.g. {@code "activation variance"}; the y axis reads
   *     {@code "log10 " + quantity}
   * @param valuesByScheme scheme name → one value per layer, in the map's iteration order
   */
  public static String layerProfile(String title, String quantity, Map<String, double[]> valuesByScheme) {
    List<Series> series = new ArrayList<>();
    valuesByScheme.forEach((scheme, values) ->
        series.add(Series.of(scheme, Arrays.stream(values).map(Math::log10).toArray())));
    return lines(title, Axes.linear("layer", "log10 " + quantity), series);
  }

  private static void style(XYStyler st, boolean legendInRow) {
    st.setLocale(Locale.ROOT);
    st.setChartTitleVisible(false);
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotBorderVisible(false);
    st.setPlotGridLinesColor(new Color(225, 225, 225));
    // Solid: VectorGraphics2D writes a dashed grid line as hundreds of tiny filled rectangles.
    st.setPlotGridLinesStroke(new BasicStroke(1f));
    st.setLegendBorderColor(Color.WHITE);
    st.setLegendPosition(LegendPosition.OutsideS);
    st.setLegendLayout(legendInRow ? LegendLayout.Horizontal : LegendLayout.Vertical);
    st.setMarkerSize(7);
    // Larger than XChart's defaults: a 720-unit chart is shown at half size on a phone.
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
    st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
  }

  private static void xAxis(XYStyler st, double[] range, List<Series> series) {
    boolean integers = series.stream()
        .allMatch(s -> Arrays.stream(s.x).allMatch(v -> !Double.isFinite(v) || v == Math.rint(v)));
    st.setXAxisDecimalPattern(integers ? "0" : PlotData.decimalPattern(range[0], range[1]));
    if (range[0] < range[1]) {
      // For equally spaced x (steps, layers) XChart puts ticks at data points, every k-th one
      // (1, 49, 97, ...), and their labels overlap; an axis minimum just off the grid of x values
      // makes it choose round ticks (0, 200, 400, ...) instead.
      st.setXAxisMin(range[0] - 1e-3 * Math.min(1, range[1] - range[0]));
    }
  }

  private static void yAxis(XYStyler st, double[] range, boolean log) {
    boolean any = range[0] <= range[1];
    if (log) {
      // XChart labels a log axis at whole decades only: span at least one so that labels appear.
      st.setYAxisLogarithmic(true);
      st.setYAxisLogarithmicDecadeOnly(true);
      double lo = any ? Math.pow(10, Math.floor(Math.log10(range[0]))) : 1;
      double hi = any ? Math.pow(10, Math.ceil(Math.log10(range[1]))) : 10;
      st.setYAxisMin(lo);
      st.setYAxisMax(hi > lo ? hi : lo * 10);
      st.setYAxisDecimalPattern(lo >= 1e-3 && hi < 1e6 ? PlotData.decimalPattern(lo, lo) : "0E0");
    } else if (any) {
      st.setYAxisDecimalPattern(PlotData.decimalPattern(range[0], range[1]));
    } else {
      st.setYAxisMin(0.0);
      st.setYAxisMax(1.0);
    }
  }

  /** XChart rejects two series of the same name; a repeated name gets a " (2)" suffix. */
  private static String uniqueName(XYChart chart, String name) {
    String unique = name;
    for (int k = 2; chart.getSeriesMap().containsKey(unique); k++) {
      unique = name + " (" + k + ")";
    }
    return unique;
  }

  private static String encode(XYChart chart, int height, String title, String description) {
    VectorGraphics2D g = new VectorGraphics2D();
    chart.paint(g, WIDTH, height);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, WIDTH, height)).writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    String svg = Svg.inlineable(out.toString(StandardCharsets.UTF_8));
    return Svg.label(Svg.renumberIds(Svg.joinLines(Svg.roundNumbers(svg))), title, description);
  }

  private static BasicStroke stroke(float... dash) {
    return dash.length == 0
        ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
        : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
  }
}
