package org.incipit.models.studies;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.VocabularyExpansion;
import org.incipit.models.nets.CharGpt;
import org.incipit.tensor.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared pretrained model: trained once per settings, read back with the same bits, re-tabled faithfully. */
class PretrainedCharGptTest {
  private static final PretrainedCharGpt.Settings TINY = new PretrainedCharGpt.Settings(8, 1, 8, 2, 3, 2, 3e-3, 5);

  @TempDir
  Path dir;

  private static StudyContext ctx() {
    return new StudyContext(Budget.SMOKE, Device.cpu(), 0, new PrintStream(new ByteArrayOutputStream(), true), false);
  }

  @Test
  void trainsOnceThenLoadsTheSameBits() throws Exception {
    PretrainedCharGpt.Pretrained first = PretrainedCharGpt.load(TINY, dir, ctx());
    assertTrue(Files.exists(dir.resolve(TINY.key() + ".safetensors")));
    long modified = Files.getLastModifiedTime(first.file()).toMillis();
    PretrainedCharGpt.Pretrained second = PretrainedCharGpt.load(TINY, dir, ctx());
    assertEquals(modified, Files.getLastModifiedTime(second.file()).toMillis(), "not retrained");
    first.model().stateDict().forEach((k, v) ->
        assertArrayEquals(v.toFloats(), second.model().stateDict().get(k).toFloats(), k));
    assertTrue(Double.isFinite(first.validationLoss()));
    assertNotEquals(TINY.key(), new PretrainedCharGpt.Settings(8, 1, 8, 2, 4, 2, 3e-3, 5).key());
  }

  @Test
  void aNewTokenTableKeepsEveryOtherWeightAndTheOldTokensHiddenStates() {
    CharGpt model = PretrainedCharGpt.load(TINY, dir, ctx()).model();
    Tensor e = PretrainedCharGpt.tokenTable(model);
    CharGpt grown = PretrainedCharGpt.withTokenTable(model, VocabularyExpansion.expand(e,
        VocabularyExpansion.mean(e, 3)), Device.cpu());
    assertEquals(e.size(0) + 3, grown.config().vocab());
    model.stateDict().forEach((k, v) -> {
      if (!k.equals("wte.weight")) {
        assertArrayEquals(v.toFloats(), grown.stateDict().get(k).toFloats(), k);
      }
    });
    Tensor idx = Tensors.ofLongs(new long[] {1, 2, 3, 4}, 1, 4);
    try (NoGrad ignored = NoGrad.enter()) {
      assertArrayEquals(model.hidden(idx).toFloats(), grown.hidden(idx).toFloats(), "same bits for old tokens");
    }
    assertThrows(IllegalArgumentException.class, () -> PretrainedCharGpt.withTokenTable(model, Tensors.zeros(4, 5),
        Device.cpu()));
  }
}
