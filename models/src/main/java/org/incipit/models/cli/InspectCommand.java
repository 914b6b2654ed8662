package org.incipit.models.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.incipit.models.inspect.Inspector;
import org.incipit.models.inspect.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code incipit inspect}: per-layer signal and gradient statistics of a model at initialization. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Per-layer activation and gradient statistics of a model at init, as a table and an HTML page.")
final class InspectCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "mlp, cnn, gpt, gnn, kat, s4d, spiking-mlp, spiking-cnn.")
  String model;

  @Option(names = "--init", defaultValue = "default",
      description = "default, he, xavier, lecun, orthogonal, tanh-gain (gpt also: gpt2, normal); default ${DEFAULT-VALUE}.")
  String init;

  @Option(names = "--width", defaultValue = "0", description = "Hidden width (0: the model's default).")
  int width;

  @Option(names = "--depth", defaultValue = "0", description = "Hidden layers or blocks (0: the model's default).")
  int depth;

  @Option(names = "--sweep-width", description = "Also measure at widths 32, 64, 128, 256, 512 and plot the change.")
  boolean sweep;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", description = "Report folder (default reports/inspect/MODEL-INIT).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Inspector.Inspection main = Inspector.inspect(model, init, width, depth, seed);
    List<Inspector.Inspection> sweeps = new ArrayList<>();
    if (sweep) {
      if (!Zoo.hasWidth(model)) {
        throw new IllegalArgumentException(model + " has fixed widths; --sweep-width needs a model with a width");
      }
      for (int w : new int[] {32, 64, 128, 256, 512}) {
        sweeps.add(Inspector.inspect(model, init, w, depth, seed));
      }
    }
    System.out.print(Inspector.table(main).render());
    Path dir = out != null ? out : Path.of("reports", "inspect", model.toLowerCase(Locale.ROOT) + "-" + init);
    System.out.println("report: " + Inspector.writePage(dir, main, sweeps));
    return 0;
  }
}
