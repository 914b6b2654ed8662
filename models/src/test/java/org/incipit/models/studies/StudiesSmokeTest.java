package org.incipit.models.studies;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.incipit.models.report.Report;
import org.incipit.tensor.Device;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every study runs in its smoke budget and writes a filled report and results.json. */
class StudiesSmokeTest {
  /**
   * Studies that train no {@link org.incipit.nn.Module} — plain factor matrices, federated LoRA factors — and so have no
   * init report; their setup tables state how the factors are drawn. Every other study shows how its
   * models were initialized.
   */
  private static final java.util.Set<String> WITHOUT_MODULES = java.util.Set.of("subgm-small-init", "overparam-sensing",
      "lora-fair");

  @TempDir
  Path dir;

  @TestFactory
  java.util.List<DynamicTest> everyStudyWritesItsReport() {
    return Studies.all().stream().map(study -> DynamicTest.dynamicTest(study.name(), () -> {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      StudyContext ctx = new StudyContext(Budget.SMOKE, Device.cpu(), 1, new PrintStream(log, true), false);
      Report report = study.run(ctx);
      Path out = dir.resolve(study.name());
      assertEquals(out.resolve("index.html"), report.writeTo(out));
      String html = Files.readString(out.resolve("index.html"));
      assertTrue(html.contains("<svg"), "a figure");
      assertTrue(html.contains(report.verdict().word()), "the verdict word");
      if (!WITHOUT_MODULES.contains(study.name())) {
        assertTrue(html.contains("<section id=\"initialization\">"), "how the study's models were initialized");
      }
      JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
      assertEquals(study.name(), json.get("study").getAsString());
      assertTrue(json.has("reproduced"));
      assertEquals(WITHOUT_MODULES.contains(study.name()), json.getAsJsonArray("initialization").isEmpty(),
          "init tables in results.json");
      assertTrue(json.getAsJsonObject("measurements").size() >= 3, "measurements filled");
      assertFalse(report.tables().isEmpty());
      assertTrue(report.verdict().summary().matches(".*\\d.*"), "the verdict states measured numbers");
      assertEquals("smoke", report.setup().get("budget"));
      assertTrue(log.toString().contains(study.name()), "progress lines");
    })).toList();
  }

  @org.junit.jupiter.api.Test
  void unknownStudyNamesTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Studies.byName("nope"));
    assertTrue(e.getMessage().contains("signal-propagation"));
  }
}
