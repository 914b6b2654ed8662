package org.incipit.tests.repro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The flags in the project's {@code jvm.options} (the launcher's JVM flags), read from the project root. */
final class JvmOptions {
  private JvmOptions() {}

  /** The project root: the tests module's parent when Maven runs the tests, else the working directory. */
  static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("jvm.options")) ? here : here.getParent();
  }

  /** The flags, one per non-blank, non-comment line. */
  static List<String> flags() throws IOException {
    return Files.readAllLines(root().resolve("jvm.options")).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }
}
