package org.incipit.models.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.incipit.models.report.Report;
import org.incipit.models.report.Table;
import org.incipit.models.studies.Budget;
import org.incipit.models.studies.Studies;
import org.incipit.models.studies.Study;
import org.incipit.models.studies.StudyContext;
import org.incipit.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code incipit study NAME}: runs one study and writes its report. */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = "Run a reproduction study; writes reports/NAME/index.html and results.json.")
final class StudyCommand implements Callable<Integer> {
  @Parameters(paramLabel = "NAME", description = "A study (see 'incipit studies').")
  String name;

  @Option(names = "--budget", description = "smoke (seconds) or full (what reproduces the claim; default).",
      defaultValue = "full")
  String budget;

  @Option(names = "--device", description = "cpu or opencl[:N] (default: INCIPIT_DEVICE, else cpu).")
  String device;

  @Option(names = "--seed", description = "Seed of every random draw (default ${DEFAULT-VALUE}).", defaultValue = "0")
  long seed;

  @Option(names = "--out", description = "Report folder (default reports/NAME).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Study study = Studies.byName(name);
    Budget b = switch (budget.toLowerCase(java.util.Locale.ROOT)) {
      case "smoke" -> Budget.SMOKE;
      case "full" -> Budget.FULL;
      default -> throw new IllegalArgumentException("unknown budget '" + budget + "' (smoke or full)");
    };
    Device d = device == null ? Device.fromEnvironment() : Device.parse(device);
    StudyContext ctx = new StudyContext(b, d, seed, System.out, System.console() != null);
    System.out.println(study.name() + ": " + study.claim());
    Report report = study.run(ctx);
    Path dir = out != null ? out : Path.of("reports", study.name());
    report.writeTo(dir);
    for (Table t : report.tables()) {
      System.out.println();
      System.out.println(t.render());
    }
    System.out.println();
    System.out.println(report.verdict().word().toUpperCase(java.util.Locale.ROOT) + ": " + report.verdict().summary());
    System.out.println("report: " + dir.resolve("index.html") + " and " + dir.resolve("results.json"));
    return 0;
  }
}
