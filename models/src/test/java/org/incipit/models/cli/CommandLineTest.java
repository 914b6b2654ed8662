package org.incipit.models.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and one-line errors of the command line. */
class CommandLineTest {
  @TempDir
  Path dir;

  private static String[] run(String... args) {
    return Cli.run(args);
  }

  @Test
  void badInputIsOneLineAndANonZeroExit() {
    for (String[] args : new String[][] {{"study", "nope"}, {"study", "signal-propagation", "--device", "tpu"},
        {"study", "signal-propagation", "--bogus"}, {"train", "--model", "rnn"}, {"train", "--model", "mlp", "--data", "wine"},
        {"train", "--model", "mlp", "--data", "iris", "--batch", "200", "--steps", "1"}, {"parity", "/no/such/dir"}}) {
      String[] r = run(args);
      assertEquals("2", r[0], String.join(" ", args));
      assertEquals(1, r[2].strip().lines().count(), "one line: " + r[2]);
      assertTrue(r[2].startsWith("incipit: "), r[2]);
      assertFalse(r[2].contains("Exception"), "no stack trace: " + r[2]);
    }
  }

  @Test
  void parityNamesEveryFileItDoesNotRun() throws Exception {
    Files.writeString(dir.resolve("future.json"), "{\"kind\": \"activation_stats\", \"cases\": []}");
    Files.writeString(dir.resolve("mystery.json"), "{\"cases\": []}");
    String[] r = run("parity", dir.toString(), "--device", "cpu");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("skipped future.json: kind activation_stats is not run by parity"), r[1]);
    assertTrue(r[1].contains("skipped mystery.json: kind unknown is not run by parity"), r[1]);
    assertTrue(r[1].contains("0 passed, 0 failed, 2 file(s) skipped"), r[1]);
  }

  @Test
  void aBatchLargerThanTheTrainingSetIsNamed() {
    String[] r = run("train", "--model", "mlp", "--data", "iris", "--batch", "200", "--steps", "1",
        "--out", dir.resolve("m.safetensors").toString());
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("batch size must be in [1, 120]") && r[2].contains("got 200"), r[2]);
  }

  @Test
  void studiesListsEveryStudyAndStudyWritesItsReport() throws Exception {
    String[] list = run("studies");
    assertEquals("0", list[0]);
    assertTrue(list[1].contains("signal-propagation") && list[1].contains("gpt2-scaled-init"));
    String[] r = run("study", "signal-propagation", "--budget", "smoke", "--out", dir.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("REPRODUCED") || r[1].contains("NOT REPRODUCED"));
    assertTrue(Files.exists(dir.resolve("index.html")) && Files.exists(dir.resolve("results.json")));
  }

  @Test
  void trainThenSample() {
    Path ckpt = dir.resolve("g.safetensors");
    String[] t = run("train", "--model", "gpt", "--steps", "3", "--batch", "2", "--layers", "1", "--d-model", "16",
        "--heads", "2", "--context", "8", "--out", ckpt.toString());
    assertEquals("0", t[0], t[2]);
    assertTrue(t[1].contains("validation loss"));
    String[] s = run("sample", "--checkpoint", ckpt.toString(), "--prompt", "Call", "--tokens", "20");
    assertEquals("0", s[0], s[2]);
    assertTrue(s[1].startsWith("Call"));
    assertEquals("Call".length() + 20 + System.lineSeparator().length(), s[1].length(), "prompt + 20 characters");
  }
}
