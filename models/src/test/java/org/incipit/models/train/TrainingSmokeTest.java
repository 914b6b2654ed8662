package org.incipit.models.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.Digits;
import org.incipit.models.data.Split;
import org.incipit.models.data.TextCorpus;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.nets.Cnn;
import org.incipit.models.nets.Mlp;
import org.incipit.models.studies.CharGptRun;
import org.incipit.models.studies.ClassifierRun;
import org.incipit.optim.AdamW;
import org.incipit.optim.LrSchedule;
import org.incipit.optim.ParamGroup;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each model learns on its data in a few steps, and checkpoints restore it exactly. */
class TrainingSmokeTest {
  @TempDir
  Path dir;

  private static double mean(java.util.List<Double> v, int from, int to) {
    return v.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  @Test
  void mlpAndCnnLearnTheDigits() {
    Rng rng = Rng.seeded(3);
    Split split = Split.stratified(Digits.load(), 0.2, rng.fork("split"));
    TrainLoop.Config cfg = new TrainLoop.Config(120, 60, 1.0, LrSchedule.constant());
    Mlp mlp = Mlp.pytorchDefault(new int[] {64, 64, 10}, Tensor::relu, rng.fork("mlp"));
    var h = ClassifierRun.train(mlp, AdamW.of(mlp, AdamW.Hyper.defaults().withLr(3e-3)), split, 32, cfg, x -> x,
        Device.cpu(), rng.fork("data"), (t, l) -> { });
    assertTrue(mean(h.trainLoss(), 100, 120) < 0.5 * mean(h.trainLoss(), 0, 10), "MLP loss falls: " + h.trainLoss());
    assertTrue(h.last().accuracy() > 0.85, "MLP accuracy " + h.last().accuracy());
    Cnn cnn = new Cnn(1, 10, rng.fork("cnn"));
    var hc = ClassifierRun.train(cnn, AdamW.of(cnn, AdamW.Hyper.defaults().withLr(3e-3)), split, 32, cfg,
        Digits::images, Device.cpu(), rng.fork("data"), (t, l) -> { });
    assertTrue(mean(hc.trainLoss(), 100, 120) < 0.5 * mean(hc.trainLoss(), 0, 10), "CNN loss falls");
    assertTrue(hc.last().accuracy() > 0.8, "CNN accuracy " + hc.last().accuracy());
  }

  /** Evaluations are not training steps: 0.5 s of evaluation after each of 2 tiny steps stays out of s/step. */
  @Test
  void secondsPerStepLeavesTheEvaluationsOut() {
    Mlp mlp = Mlp.pytorchDefault(new int[] {4, 4, 2}, Tensor::relu, Rng.seeded(5));
    Tensor x = org.incipit.autograd.Tensors.ones(3, 4);
    TrainLoop.History h = TrainLoop.run(mlp, AdamW.of(mlp, AdamW.Hyper.defaults()),
        new TrainLoop.Config(2, 1, 0, LrSchedule.constant()), t -> mlp.forward(x).square().mean(), () -> {
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new TrainLoop.Eval(0, Double.NaN);
        }, (t, l) -> { });
    assertEquals(2, h.evals().size());
    // with the evaluations counted a step would take ≥ 0.5 s; a step of this 4-4-2 MLP takes well under 0.25 s
    assertTrue(h.secondsPerStep() < 0.25, "s/step " + h.secondsPerStep());
  }

  @Test
  void charGptLearnsAndItsCheckpointRestoresIt() throws Exception {
    TextCorpus corpus = TextCorpus.mobyDick();
    Rng rng = Rng.seeded(4);
    CharGpt gpt = new CharGpt(new CharGpt.Config(corpus.vocabSize(), 16, 1, 32, 2), CharGpt.Init.GPT2, rng.fork("m"));
    var h = CharGptRun.train(gpt, AdamW.of(gpt, AdamW.Hyper.defaults().withLr(1e-2)), corpus,
        new CharGptRun.Setup(8, 2, new TrainLoop.Config(60, 30, 1.0, LrSchedule.constant())), Device.cpu(),
        rng.fork("d"), (t, l) -> { });
    assertTrue(mean(h.trainLoss(), 50, 60) < mean(h.trainLoss(), 0, 5) - 0.5, "GPT loss falls: " + h.trainLoss());
    Path file = dir.resolve("gpt.safetensors");
    Checkpoints.saveCharGpt(file, gpt, corpus.vocabulary(), Map.of("incipit.seed", "4"));
    Checkpoints.LoadedGpt loaded = Checkpoints.loadCharGpt(file);
    assertEquals(gpt.config(), loaded.model().config());
    assertEquals(corpus.vocabulary(), loaded.vocabulary());
    Tensor idx = corpus.batch(false, 2, 16, rng.fork("probe")).x();
    assertArrayEquals(NoGrad.run(() -> gpt.forward(idx)).toDoubles(), NoGrad.run(() -> loaded.model().forward(idx)).toDoubles(),
        0.0, "bit-identical after a round trip");
    assertArrayEquals(gpt.generate(new long[] {1, 2}, 10, 0.8, Rng.seeded(1)),
        loaded.model().generate(new long[] {1, 2}, 10, 0.8, Rng.seeded(1)));
  }
}
