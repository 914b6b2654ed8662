package org.incipit.models.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import org.incipit.models.nets.CharGpt;
import org.incipit.nn.InitReport;
import org.incipit.nn.io.Safetensors;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint carries the model's init report as metadata, and it reads back whole. */
class InitReportCheckpointTest {
  @TempDir
  Path dir;

  @Test
  void theInitReportRoundTripsThroughSafetensorsMetadata() throws Exception {
    CharGpt gpt = new CharGpt(new CharGpt.Config(12, 8, 2, 16, 2), CharGpt.Init.GPT2, Rng.seeded(7));
    InitReport report = gpt.initReport();
    Path file = dir.resolve("gpt.safetensors");
    Checkpoints.saveCharGpt(file, gpt, "abcdefghijkl", Map.of(Checkpoints.INIT_REPORT, Checkpoints.toJson(report)));
    InitReport back = Checkpoints.initReport(Safetensors.read(file).metadata());
    assertEquals(report.entries().size(), back.entries().size());
    for (int i = 0; i < report.entries().size(); i++) {
      InitReport.Entry a = report.entries().get(i);
      InitReport.Entry b = back.entries().get(i);
      assertEquals(a.path(), b.path());
      assertArrayEquals(a.shape(), b.shape());
      assertEquals(a.scheme(), b.scheme());
      assertEquals(a.expectedStd(), b.expectedStd(), 0.0, a.path()); // NaN == NaN for assertEquals(double)
      assertEquals(a.bound(), b.bound(), 0.0, a.path());
      assertEquals(a.measuredStd(), b.measuredStd(), 0.0);
      assertEquals(a.stream(), b.stream());
    }
    // the GPT-2 residual projections promise 0.02/√(2·2) = 0.01
    assertEquals(0.01, back.get("blocks.1.attn.wo.weight").expectedStd(), 1e-15);
    assertEquals(Double.POSITIVE_INFINITY, back.get("blocks.1.attn.wo.weight").bound());
  }

  @Test
  void aCheckpointWithoutAReportSaysSo() {
    var e = assertThrows(java.io.IOException.class, () -> Checkpoints.initReport(Map.of()));
    assertTrue(e.getMessage().contains(Checkpoints.INIT_REPORT));
    var bad = assertThrows(java.io.IOException.class, () -> Checkpoints.initReport(Map.of(Checkpoints.INIT_REPORT, "{[")));
    assertTrue(bad.getMessage().startsWith("malformed"));
  }
}
