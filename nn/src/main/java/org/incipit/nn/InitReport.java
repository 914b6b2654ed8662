package org.incipit.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.incipit.init.Expected;

/**
 * How every parameter of a module was initialized (init provenance, {@link Module#initReport()}):
 * per parameter path, the scheme with its arguments, the fans it was given, the gain, std and bound
 * the scheme promises, the mean and std of the values the parameter holds, and the random stream
 * (root seed, stream number) it was drawn from — enough to draw it again with
 * {@code Rng.of(seed, stream)}.
 *
 * <p>Taken right after construction it documents the initialization; taken later, the measured
 * columns show how far training moved each parameter from its promise.
 */
public record InitReport(List<Entry> entries) {
  /** One parameter. {@code NaN} marks what the scheme does not promise. */
  public record Entry(String path, int[] shape, String scheme, double fanIn, double fanOut, double gain,
                      double expectedStd, double bound, double measuredMean, double measuredStd, long seed,
                      long stream, boolean trainable) {}

  public InitReport {
    entries = List.copyOf(entries);
  }

  /** The report of every parameter of {@code module}, in path order. */
  public static InitReport of(Module module) {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
      Parameter p = e.getValue();
      Expected x;
      try {
        x = p.initializer().expected(p.shape(), p.fans());
      } catch (RuntimeException ex) {
        x = Expected.UNKNOWN; // a scheme that cannot state its promise for this shape
      }
      double[] v = p.value().toDoubles();
      double mean = 0;
      for (double d : v) {
        mean += d / v.length;
      }
      double ss = 0;
      for (double d : v) {
        ss += (d - mean) * (d - mean);
      }
      double std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
      out.add(new Entry(e.getKey(), p.shape().dims(), String.valueOf(p.initializer()), p.fans().in(), p.fans().out(),
          x.gain(), x.std(), x.bound(), mean, std, p.stream().seed(), p.stream().stream(), p.trainable()));
    }
    return new InitReport(out);
  }

  /** The entry of {@code path}; an error naming the known paths when there is none. */
  public Entry get(String path) {
    return entries.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("no parameter '" + path + "' in the init report (" + entries.size() + " parameters)"));
  }

  /** A plain-text table, one parameter a line. */
  public String format() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-32s %-14s %-44s %9s %9s %6s %9s %9s %9s  %s%n",
        "parameter", "shape", "scheme", "fan_in", "fan_out", "gain", "std", "bound", "measured", "stream"));
    for (Entry e : entries) {
      sb.append(String.format(Locale.ROOT, "%-32s %-14s %-44s %9s %9s %6s %9s %9s %9s  %d/%016x%s%n", e.path(),
          java.util.Arrays.toString(e.shape()).replace(" ", ""), e.scheme(), num(e.fanIn()), num(e.fanOut()),
          num(e.gain()), num(e.expectedStd()), num(e.bound()), num(e.measuredStd()), e.seed(), e.stream(),
          e.trainable() ? "" : " frozen"));
    }
    return sb.toString();
  }

  /** A number for a table: 4 significant digits, "–" for NaN, "∞" for infinity. */
  public static String num(double x) {
    if (Double.isNaN(x)) {
      return "–";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "∞" : "−∞";
    }
    return String.format(Locale.ROOT, "%.4g", x);
  }
}
