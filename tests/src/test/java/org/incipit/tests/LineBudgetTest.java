package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Size budgets (STYLE.md §4.6, after tinygrad's sz.py): no source file over {@value #FILE_LIMIT}
 * lines, and the engine (tensor + autograd main code, without comments and blank lines) under
 * {@value #ENGINE_BUDGET} lines. Raising a budget is a decision to make in review, not a fix.
 */
class LineBudgetTest {
  static final int FILE_LIMIT = 450;
  static final int ENGINE_BUDGET = 12_000;

  private static Path root() {
    Path dir = SharedFixtures.projectRoot();
    assertNotNull(dir, "no folder holding the 'incipit' launcher above " + Path.of("").toAbsolutePath());
    return dir;
  }

  private static List<Path> javaFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).toList();
    }
  }

  @Test
  void noSourceFileIsTooLong() throws IOException {
    Path root = root();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.filter(Files::isDirectory).toList()) {
        for (Path f : javaFiles(module.resolve("src"))) {
          long n = Files.readAllLines(f).size();
          assertTrue(n <= FILE_LIMIT, root.relativize(f) + " has " + n + " lines (limit " + FILE_LIMIT
              + "): split it into two classes");
        }
      }
    }
  }

  @Test
  void engineStaysWithinItsBudget() throws IOException {
    Path root = root();
    long code = 0;
    for (String module : List.of("tensor", "autograd")) {
      for (Path f : javaFiles(root.resolve(module).resolve("src/main/java"))) {
        code += codeLines(Files.readAllLines(f));
      }
    }
    assertTrue(code > 1000, "the engine was found (" + code + " code lines)");
    assertTrue(code <= ENGINE_BUDGET, "tensor + autograd have " + code + " code lines (budget " + ENGINE_BUDGET + ")");
  }

  /** Lines that are neither blank nor comments. */
  static long codeLines(List<String> lines) {
    long n = 0;
    boolean inBlock = false;
    for (String raw : lines) {
      String l = raw.strip();
      if (inBlock) {
        inBlock = !l.contains("*/");
        continue;
      }
      if (l.startsWith("/*")) {
        inBlock = !l.contains("*/");
        continue;
      }
      if (!l.isEmpty() && !l.startsWith("//")) {
        n++;
      }
    }
    return n;
  }
}
