package org.incipit.models.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.incipit.models.parity.ParityRunner;
import org.incipit.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code incipit parity DIR}: every fixture case on every available device. */
@Command(name = "parity", mixinStandardHelpOptions = true,
    description = "Run PyTorch-parity fixture files (op cases on every available device; init rules once).")
final class ParityCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "A fixture directory (e.g. ../shared/fixtures/ops) or one file.")
  Path dir;

  @Option(names = "--device", description = "Run on this device only (cpu, opencl, opencl:N); "
      + "default: INCIPIT_DEVICE when set, else every available device.")
  String device;

  @Option(names = {"-v", "--verbose"}, description = "Print passing cases too.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException("no such file or directory: " + dir);
    }
    String spec = device != null ? device : System.getenv("INCIPIT_DEVICE");
    List<Device> devices = spec == null || spec.isBlank() ? Device.available() : List.of(Device.parse(spec));
    int passed = 0;
    int failed = 0;
    for (ParityRunner.Result r : ParityRunner.runAll(dir, devices)) {
      if (r.passed()) {
        passed++;
      } else {
        failed++;
      }
      if (!r.passed() || verbose) {
        System.out.println(r);
      }
    }
    System.out.println(passed + " passed, " + failed + " failed");
    return failed == 0 ? 0 : 1;
  }
}
