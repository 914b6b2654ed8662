package org.incipit.models.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.Digits;
import org.incipit.models.data.Iris;
import org.incipit.models.data.LabeledData;
import org.incipit.models.data.Split;
import org.incipit.models.data.TextCorpus;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.report.Progress;
import org.incipit.models.studies.CharGptRun;
import org.incipit.models.studies.ClassifierRun;
import org.incipit.models.train.Checkpoints;
import org.incipit.models.train.TrainLoop;
import org.incipit.nn.Layer;
import org.incipit.nn.Module;
import org.incipit.optim.LrSchedule;
import org.incipit.optim.Optimizer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code incipit train}: trains the char-GPT, an MLP or the CNN on the shipped data and saves a checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the char-GPT (Moby Dick), an MLP (digits or iris) or the CNN (digits); save a safetensors checkpoint.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--model", description = "gpt, mlp or cnn (default ${DEFAULT-VALUE}).", defaultValue = "gpt")
  String model;

  @Option(names = "--data", description = "For the MLP: digits or iris (default ${DEFAULT-VALUE}).", defaultValue = "digits")
  String data;

  @Option(names = "--init", description = "gpt: default, normal, gpt2; mlp/cnn: default, he, xavier, lecun (default ${DEFAULT-VALUE}).",
      defaultValue = "default")
  String init;

  @Mixin
  OptimizerOptions optimizer;

  @Option(names = "--steps", description = "Training steps (default ${DEFAULT-VALUE}).", defaultValue = "500")
  long steps;

  @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).", defaultValue = "32")
  int batch;

  @Option(names = "--layers", description = "gpt: transformer blocks (default ${DEFAULT-VALUE}).", defaultValue = "2")
  int layers;

  @Option(names = "--d-model", description = "gpt: width (default ${DEFAULT-VALUE}).", defaultValue = "128")
  int dModel;

  @Option(names = "--heads", description = "gpt: attention heads (default ${DEFAULT-VALUE}).", defaultValue = "4")
  int heads;

  @Option(names = "--context", description = "gpt: context length (default ${DEFAULT-VALUE}).", defaultValue = "64")
  int context;

  @Option(names = "--hidden", description = "mlp: hidden width (default ${DEFAULT-VALUE}).", defaultValue = "128")
  int hidden;

  @Option(names = "--seed", description = "Seed of init, data order and dropout (default ${DEFAULT-VALUE}).", defaultValue = "0")
  long seed;

  @Option(names = "--device", description = "cpu or opencl[:N] (default: INCIPIT_DEVICE, else cpu).")
  String device;

  @Option(names = "--out", description = "Checkpoint file (default checkpoints/MODEL.safetensors).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Device d = device == null ? Device.fromEnvironment() : Device.parse(device);
    Rng rng = Rng.seeded(seed);
    Path file = out != null ? out : Path.of("checkpoints", model + ".safetensors");
    TrainLoop.Config cfg = new TrainLoop.Config(steps, Math.max(1, steps / 10), 1.0,
        LrSchedule.cosine(Math.min(100, steps / 10), steps, 0.1));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("incipit.init", init);
    meta.put("incipit.optimizer", optimizer.describe());
    meta.put("incipit.steps", String.valueOf(steps));
    meta.put("incipit.seed", String.valueOf(seed));
    TrainLoop.History h;
    switch (model.toLowerCase(Locale.ROOT)) {
      case "gpt" -> {
        TextCorpus corpus = TextCorpus.mobyDick();
        CharGpt gpt = new CharGpt(new CharGpt.Config(corpus.vocabSize(), context, layers, dModel, heads),
            Models.gptInit(init), rng.fork("model"));
        meta.put(Checkpoints.INIT_REPORT, Checkpoints.toJson(gpt.initReport())); // as built, before training
        gpt.to(DType.F32, d);
        Optimizer opt = optimizer.build(gpt);
        try (Progress p = Progress.start("train gpt", steps)) {
          h = CharGptRun.train(gpt, opt, corpus, new CharGptRun.Setup(batch, 8, cfg), d, rng.fork("data"),
              (t, loss) -> p.step(t + 1, String.format(Locale.ROOT, "loss %.3f", loss)));
        }
        meta.put("incipit.val_loss", String.valueOf(h.last().loss()));
        Checkpoints.saveCharGpt(file, gpt, corpus.vocabulary(), meta);
      }
      case "mlp", "cnn" -> {
        boolean cnn = model.equalsIgnoreCase("cnn");
        boolean iris = !cnn && data.equalsIgnoreCase("iris");
        if (!cnn && !iris && !data.equalsIgnoreCase("digits")) {
          throw new IllegalArgumentException("unknown data '" + data + "' (digits or iris)");
        }
        LabeledData all = iris ? Iris.load() : Digits.load();
        Split split = Split.stratified(all, 0.2, rng.fork("split"));
        if (iris) {
          split = split.standardized(); // four measurements in cm on different scales
        }
        Layer net = cnn ? Models.cnn(init, rng.fork("model")) : Models.mlp(init, all.dimension(), hidden, all.classes(),
            rng.fork("model"));
        meta.put(Checkpoints.INIT_REPORT, Checkpoints.toJson(net.initReport())); // as built, before training
        net.to(DType.F32, d);
        Optimizer opt = optimizer.build(net);
        UnaryOperator<Tensor> input = cnn ? Digits::images : x -> x;
        try (Progress p = Progress.start("train " + model, steps)) {
          h = ClassifierRun.train(net, opt, split, batch, cfg, input, d, rng.fork("data"),
              (t, loss) -> p.step(t + 1, String.format(Locale.ROOT, "loss %.3f", loss)));
        }
        meta.put("incipit.model", model.toLowerCase(Locale.ROOT));
        meta.put("incipit.val_loss", String.valueOf(h.last().loss()));
        meta.put("incipit.val_accuracy", String.valueOf(h.last().accuracy()));
        Checkpoints.save(file, (Module) net, meta);
      }
      default -> throw new IllegalArgumentException("unknown model '" + model + "' (gpt, mlp or cnn)");
    }
    TrainLoop.Eval last = h.last();
    System.out.printf(Locale.ROOT, "validation loss %.4f%s after %d steps (%.1f ms/step)%n", last.loss(),
        Double.isNaN(last.accuracy()) ? "" : String.format(Locale.ROOT, ", accuracy %.2f%%", 100 * last.accuracy()),
        steps, 1000 * h.secondsPerStep());
    System.out.println("checkpoint: " + file);
    return 0;
  }
}
