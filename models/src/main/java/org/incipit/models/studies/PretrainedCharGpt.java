package org.incipit.models.studies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializers;
import org.incipit.models.data.TextCorpus;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.report.Progress;
import org.incipit.models.train.Checkpoints;
import org.incipit.models.train.TrainLoop;
import org.incipit.optim.AdamW;
import org.incipit.optim.LrSchedule;
import org.incipit.optim.ParamGroup;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * A small char-GPT pretrained on Moby Dick, for the studies that start from a trained language
 * model (new tokens, tool tokens, a new language, textual inversion). Trained once per
 * {@link Settings} and cached as a safetensors checkpoint under {@code reports/NAME/pretrained/},
 * the file name being {@link Settings#key()}; a study works from a clean folder (it trains, then
 * writes the file) and later runs load it. The model is always read back from the file, so a run
 * that trained and a run that loaded see the same bits.
 *
 * <pre>{@code
 * PretrainedCharGpt.Pretrained lm = PretrainedCharGpt.load(PretrainedCharGpt.Settings.of(ctx.budget()),
 *     PretrainedCharGpt.cacheDir(name()), ctx);
 * lm.model();   // CharGpt, F32, on ctx.device(), in eval mode
 * lm.corpus();  // TextCorpus.mobyDick()
 * }</pre>
 */
public final class PretrainedCharGpt {
  private PretrainedCharGpt() {}

  /**
   * What the model is and how it was trained: GPT-2 init, AdamW (β 0.9/0.999, weight decay 0.1 on
   * matrices), cosine schedule with {@code steps/10} warmup steps down to 10 % of {@code lr}, clip 1.0.
   */
  public record Settings(int context, int layers, int dModel, int heads, long steps, int batch, double lr,
                         long seed) {
    public Settings {
      if (context < 2 || layers < 1 || dModel < 1 || heads < 1 || dModel % heads != 0 || steps < 1 || batch < 1
          || !(lr > 0)) {
        throw new IllegalArgumentException("pretrained char-gpt: need context ≥ 2, layers, heads, steps, batch ≥ 1,"
            + " heads dividing d_model and lr > 0, got " + this);
      }
    }

    /** 1 block, d 32, context 16, 30 steps: a second of training, for smoke runs. */
    public static Settings smoke() {
      return new Settings(16, 1, 32, 2, 30, 8, 3e-3, 0);
    }

    /** 2 blocks, d 64, context 32, 400 steps of batch 16: about half a minute on two cores. */
    public static Settings full() {
      return new Settings(32, 2, 64, 4, 400, 16, 3e-3, 0);
    }

    /** {@link #full()} at the full budget, {@link #smoke()} otherwise. */
    public static Settings of(Budget budget) {
      return budget == Budget.FULL ? full() : smoke();
    }

    /** The cache file's name: every setting, so another setting never reads this file. */
    public String key() {
      return String.format(Locale.ROOT, "chargpt-ctx%d-L%d-d%d-h%d-steps%d-b%d-lr%s-seed%d", context, layers, dModel,
          heads, steps, batch, Double.toString(lr), seed);
    }

    /** The model's shape for a vocabulary of {@code vocab} tokens. */
    public CharGpt.Config config(int vocab) {
      return new CharGpt.Config(vocab, context, layers, dModel, heads);
    }
  }

  /** The trained model (eval mode), its corpus, its settings, its final validation loss and the file. */
  public record Pretrained(CharGpt model, TextCorpus corpus, Settings settings, double validationLoss, Path file) {}

  /** {@code reports/NAME/pretrained}: where a study caches its pretrained model. */
  public static Path cacheDir(String studyName) {
    return Path.of("reports", studyName, "pretrained");
  }

  /** Loads the model for {@code s} from {@code dir}, training and saving it first when the file is missing. */
  public static Pretrained load(Settings s, Path dir, StudyContext ctx) {
    TextCorpus corpus = TextCorpus.mobyDick();
    Path file = dir.resolve(s.key() + ".safetensors");
    try {
      if (!Files.exists(file)) {
        train(s, corpus, file, ctx);
      }
      Checkpoints.LoadedGpt loaded = Checkpoints.loadCharGpt(file);
      if (!loaded.vocabulary().equals(corpus.vocabulary())) {
        throw new IOException(file + ": vocabulary differs from Moby Dick's; delete the file to retrain");
      }
      CharGpt model = loaded.model();
      model.to(DType.F32, ctx.device());
      model.eval();
      double val = Double.parseDouble(loaded.metadata().getOrDefault("incipit.val_loss", "NaN"));
      return new Pretrained(model, corpus, s, val, file);
    } catch (IOException e) {
      throw new UncheckedIOException("pretrained char-gpt: cannot read or write " + file, e);
    }
  }

  /**
   * A copy of {@code model} whose token table (and so its tied head) is {@code wte} (V′, C), every
   * other weight copied: the model after a vocabulary change. F32 on {@code device}, in train mode.
   * Its parameters record where their values came from ({@code Initializers.given}): the pretrained
   * weights, and the new table under the name of the scheme that made it.
   */
  public static CharGpt withTokenTable(CharGpt model, Tensor wte, Device device) {
    CharGpt.Config c = model.config();
    if (wte.rank() != 2 || wte.size(1) != c.dModel()) {
      throw new IllegalArgumentException("pretrained char-gpt: a token table must be (V, " + c.dModel() + "), got "
          + wte.shape());
    }
    CharGpt out = new CharGpt(new CharGpt.Config(wte.size(0), c.context(), c.layers(), c.dModel(), c.heads()),
        CharGpt.Init.PYTORCH_DEFAULT, Rng.seeded(0));
    Map<String, Tensor> state = new LinkedHashMap<>(model.stateDict());
    state.put("wte.weight", wte.detach().cast(DType.F32));
    out.loadStateDict(state);
    out.reinitialize(Rng.seeded(0), (path, p) -> Initializers.given(path.equals("wte.weight")
        ? "token table (" + wte.size(0) + " rows) given by the study's scheme" : "pretrained char-GPT", p.value()));
    out.to(DType.F32, device);
    return out;
  }

  /** The token table {@code wte.weight} (V, C) of a char-GPT, detached. */
  public static Tensor tokenTable(CharGpt model) {
    return model.namedParameters().get("wte.weight").value().detach();
  }

  private static void train(Settings s, TextCorpus corpus, Path file, StudyContext ctx) throws IOException {
    Rng rng = Rng.seeded(s.seed()).fork("pretrained-char-gpt");
    CharGpt model = new CharGpt(s.config(corpus.vocabSize()), CharGpt.Init.GPT2, rng.fork("model"));
    model.to(DType.F32, ctx.device());
    AdamW opt = new AdamW(ParamGroup.splitDecay(model, AdamW.Hyper.defaults().withLr(s.lr()).withWeightDecay(0.1)));
    TrainLoop.Config loop = new TrainLoop.Config(s.steps(), s.steps(), 1.0,
        LrSchedule.cosine(Math.max(1, s.steps() / 10), s.steps(), 0.1));
    TrainLoop.History h;
    try (Progress progress = ctx.progress("pretraining char-gpt " + s.key(), s.steps())) {
      h = CharGptRun.train(model, opt, corpus, new CharGptRun.Setup(s.batch(), 4, loop), ctx.device(),
          rng.fork("data"), (t, loss) -> progress.step(t + 1, String.format(Locale.ROOT, "loss %.3f", loss)));
    }
    Checkpoints.saveCharGpt(file, model, corpus.vocabulary(), Map.of("incipit.settings", s.toString(),
        "incipit.val_loss", Double.toString(h.last().loss())));
  }
}
