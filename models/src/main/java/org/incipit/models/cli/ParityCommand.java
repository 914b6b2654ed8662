package org.incipit.models.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.incipit.models.parity.ParityRunner;
import org.incipit.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code incipit parity DIR}: every fixture case on every available device. */
@Command(name = "parity", mixinStandardHelpOptions = true,
    description = "Run PyTorch-parity fixture files (op cases and optimizer trajectories on every available device; init rules once).")
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
    Map<String, int[]> perDevice = new LinkedHashMap<>(); // device -> {passed, failed}
    List<String> skipped = new ArrayList<>();
    for (ParityRunner.Result r : ParityRunner.runAll(dir, devices, line -> {
      skipped.add(line);
      System.out.println(line);
    })) {
      int[] counts = perDevice.computeIfAbsent(r.device(), d -> new int[2]);
      if (r.passed()) {
        passed++;
        counts[0]++;
      } else {
        failed++;
        counts[1]++;
      }
      if (!r.passed() || verbose) {
        System.out.println(r);
      }
    }
    perDevice.forEach((d, c) -> System.out.println("[" + d + "] " + c[0] + " passed, " + c[1] + " failed"));
    System.out.println(passed + " passed, " + failed + " failed"
        + (skipped.isEmpty() ? "" : ", " + skipped.size() + " file(s) skipped"));
    return failed == 0 ? 0 : 1;
  }
}
