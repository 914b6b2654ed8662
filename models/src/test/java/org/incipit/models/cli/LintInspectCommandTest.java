package org.incipit.models.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code incipit lint} gates a script by its exit code; {@code incipit inspect} writes its page. */
class LintInspectCommandTest {
  @TempDir
  Path dir;

  private static String[] run(String... args) {
    return Cli.run(args);
  }

  @Test
  void lintExitsOneWhenARuleFiresAndZeroOtherwise() {
    String[] bad = run("lint", "--model", "mlp", "--init", "tanh-gain", "--width", "16");
    assertEquals("1", bad[0]);
    assertTrue(bad[1].contains("[gain] fc0.weight: a relu network drawn with tanh's gain"), bad[1]);
    assertTrue(bad[1].contains("fix: use Gains.of(\"relu\")"), bad[1]);
    String[] deep = run("lint", "--model", "gpt", "--width", "16", "--depth", "12");
    assertEquals("1", deep[0]);
    assertTrue(deep[1].startsWith("[residual-scaling] blocks: 12 residual blocks"), deep[1]);
    String[] scaled = run("lint", "--model", "gpt", "--init", "gpt2", "--width", "16", "--depth", "12");
    assertEquals("0", scaled[0], scaled[1]);
    assertTrue(scaled[1].contains("no findings"));
    String[] he = run("lint", "--model", "mlp", "--init", "he", "--width", "16");
    assertEquals("0", he[0], he[1]);
  }

  @Test
  void inspectWritesATableAndAPageAndRejectsAWidthOnAFixedModel() throws Exception {
    String[] r = run("inspect", "--model", "mlp", "--init", "he", "--width", "32", "--out", dir.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("fc0") && r[1].contains("dead ReLU"), r[1]);
    String html = Files.readString(dir.resolve("index.html"));
    assertTrue(html.contains("<svg") && html.contains("Initialization of mlp") && html.contains("fwd ratio"));
    String[] fixed = run("inspect", "--model", "cnn", "--width", "64");
    assertEquals("2", fixed[0]);
    assertTrue(fixed[2].contains("cnn has fixed widths"), fixed[2]);
    String[] unknown = run("lint", "--model", "rnn");
    assertEquals("2", unknown[0]);
    assertTrue(unknown[2].contains("unknown model 'rnn'"), unknown[2]);
  }
}
