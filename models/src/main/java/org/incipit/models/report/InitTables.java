package org.incipit.models.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.incipit.nn.InitReport;

/**
 * An {@link InitReport} as a report {@link Table}: one row per parameter path with its scheme, fans,
 * the gain, std and bound the scheme promises, the measured std and the random stream. Every study
 * report shows the initialization of the models it built this way ({@link Report#initialization}).
 */
public final class InitTables {
  static final List<String> COLUMNS = List.of("parameter", "shape", "scheme", "fan_in", "fan_out", "gain", "std",
      "bound", "measured std", "stream (seed/stream)");

  private InitTables() {}

  public static Table of(String model, InitReport report) {
    List<List<Object>> rows = new ArrayList<>();
    for (InitReport.Entry e : report.entries()) {
      rows.add(List.of(e.path(), Arrays.toString(e.shape()), e.scheme(), e.fanIn(), e.fanOut(), e.gain(),
          e.expectedStd(), e.bound(), e.measuredStd(),
          String.format(Locale.ROOT, "%d/%016x", e.seed(), e.stream()) + (e.trainable() ? "" : " (frozen)")));
    }
    return new Table("Initialization of " + model, COLUMNS, rows);
  }
}
