package org.incipit.tests.repro;

import java.nio.file.Path;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.Iris;
import org.incipit.models.data.LabeledData;
import org.incipit.models.data.Split;
import org.incipit.models.data.TextCorpus;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.nets.Mlp;
import org.incipit.models.studies.CharGptRun;
import org.incipit.models.studies.ClassifierRun;
import org.incipit.models.train.Checkpoints;
import org.incipit.models.train.TrainLoop;
import org.incipit.nn.Module;
import org.incipit.optim.AdamW;
import org.incipit.optim.LrSchedule;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * The child JVM of {@code CrossProcessDeterminismTest}: {@code ShortTraining gpt|mlp STEPS FILE}
 * trains a tiny char-GPT (GPT-2 init, AdamW, gradient clipping, cosine schedule — the code path of
 * {@code incipit train --model gpt}) or the {@code incipit train --model mlp} MLP on iris, on the
 * CPU from seed 11, and writes the checkpoint to FILE. Tiny, so that it finishes quickly even
 * under {@code -Xint}; the corpus is a fixed sentence, to skip loading Moby Dick.
 */
public final class ShortTraining {
  static final String TEXT = "Call it what you will: a seed fixes every bit of the run, on every path the "
      + "machine may take, interpreted or compiled, one thread or many. ";

  private ShortTraining() {}

  /** A trained model and its last validation loss. */
  public record Trained(Module model, String vocabulary, double validationLoss) {}

  public static void main(String[] args) throws Exception {
    Trained t = train(args[0], Long.parseLong(args[1]), Device.cpu());
    Path out = Path.of(args[2]);
    if (t.model() instanceof CharGpt gpt) {
      Checkpoints.saveCharGpt(out, gpt, t.vocabulary(), Map.of());
    } else {
      Checkpoints.save(out, t.model(), Map.of());
    }
  }

  /** {@code model} ("gpt" or "mlp") trained for {@code steps} steps on {@code device} from seed 11. */
  public static Trained train(String model, long steps, Device device) {
    Rng rng = Rng.seeded(11);
    TrainLoop.Config cfg = new TrainLoop.Config(steps, steps, 1.0, LrSchedule.cosine(1, steps, 0.1));
    AdamW.Hyper hyper = AdamW.Hyper.defaults();
    if (model.equals("gpt")) {
      TextCorpus corpus = TextCorpus.of(TEXT.repeat(4), 0.75);
      CharGpt gpt = new CharGpt(new CharGpt.Config(corpus.vocabSize(), 8, 1, 16, 2), CharGpt.Init.GPT2, rng.fork("model"));
      gpt.to(DType.F32, device);
      TrainLoop.History h = CharGptRun.train(gpt, AdamW.of(gpt, hyper), corpus, new CharGptRun.Setup(4, 1, cfg), device,
          rng.fork("data"), (t, loss) -> { });
      return new Trained(gpt, corpus.vocabulary(), h.last().loss());
    }
    LabeledData iris = Iris.load();
    Split split = Split.stratified(iris, 0.2, rng.fork("split")).standardized();
    Mlp mlp = Mlp.pytorchDefault(new int[] {iris.dimension(), 16, 16, iris.classes()}, Tensor::relu, rng.fork("model"));
    mlp.to(DType.F32, device);
    TrainLoop.History h = ClassifierRun.train(mlp, AdamW.of(mlp, hyper), split, 16, cfg, x -> x, device, rng.fork("data"),
        (t, loss) -> { });
    return new Trained(mlp, "", h.last().loss());
  }
}
