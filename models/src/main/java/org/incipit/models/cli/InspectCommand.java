package org.incipit.models.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.incipit.models.inspect.Inspector;
import org.incipit.models.inspect.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code incipit inspect}: per-layer signal and gradient statistics of a model at initialization. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Per-layer activation and gradient statistics of a model at init, as a table and an HTML page.")
final class InspectCommand implements Callable<Integer> {
  @Mixin
  ModelOptions m;

  @Option(names = "--sweep-width", description = "Also measure at widths 32, 64, 128, 256, 512 and plot the change.")
  boolean sweep;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", description = "Report folder (default reports/inspect/MODEL-INIT).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Inspector.Inspection main = Inspector.inspect(m.model, m.init, m.width, m.depth, seed);
    List<Inspector.Inspection> sweeps = new ArrayList<>();
    if (sweep) {
      if (!Zoo.hasWidth(m.model)) {
        throw new IllegalArgumentException(m.model + " has fixed widths; --sweep-width needs a model with a width");
      }
      for (int w : new int[] {32, 64, 128, 256, 512}) {
        sweeps.add(Inspector.inspect(m.model, m.init, w, m.depth, seed));
      }
    }
    System.out.print(Inspector.table(main).render());
    Path dir = out != null ? out : Path.of("reports", "inspect", m.model.toLowerCase(Locale.ROOT) + "-" + m.init);
    System.out.println("report: " + Inspector.writePage(dir, main, sweeps));
    return 0;
  }
}
