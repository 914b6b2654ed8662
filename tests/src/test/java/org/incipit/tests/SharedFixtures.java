package org.incipit.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates {@code ../shared/fixtures} beside the project root (the system property
 * {@code incipit.fixtures} overrides it). Tests that need fixtures skip with a clear message when
 * the folder is absent, as in a user's fresh clone.
 */
final class SharedFixtures {
  private SharedFixtures() {}

  /** The fixtures folder, or null when it is absent. */
  static Path root() {
    String override = System.getProperty("incipit.fixtures");
    if (override != null) {
      return Files.isDirectory(Path.of(override)) ? Path.of(override) : null;
    }
    Path dir = projectRoot();
    if (dir == null || dir.getParent() == null) {
      return null;
    }
    Path fixtures = dir.getParent().resolve("shared").resolve("fixtures");
    return Files.isDirectory(fixtures) ? fixtures : null;
  }

  /** The project root (the folder holding the {@code incipit} launcher), walking up from here; null if none. */
  static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("incipit"))) {
      dir = dir.getParent(); // walk up from the module folder to the project root
    }
    return dir;
  }

  /** The sub-folder or file {@code name} of the fixtures, skipping the calling test when absent. */
  static Path require(String name) {
    Path root = root();
    Assumptions.assumeTrue(root != null && Files.exists(root.resolve(name)),
        "skipped: ../shared/fixtures/" + name + " is not present beside the project (it ships with the"
            + " development environment, not with a clone); set -Dincipit.fixtures=DIR to point at a copy");
    return root.resolve(name);
  }
}
