package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.incipit.models.data.Digits;
import org.incipit.models.data.Split;
import org.incipit.models.data.TextCorpus;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.nets.Cnn;
import org.incipit.models.report.Citation;
import org.incipit.models.report.Figure;
import org.incipit.models.report.Plots;
import org.incipit.models.report.Progress;
import org.incipit.models.report.Report;
import org.incipit.models.report.Table;
import org.incipit.models.report.Verdict;
import org.incipit.models.train.TrainLoop;
import org.incipit.nn.Module;
import org.incipit.optim.AdamW;
import org.incipit.optim.LrSchedule;
import org.incipit.optim.Optimizer;
import org.incipit.optim.ParamGroup;
import org.incipit.optim.Sgd;
import org.incipit.optim.SgdSai;
import org.incipit.tensor.DType;

/**
 * SGD-SaI against AdamW and plain SGD (Xu et al. 2024, "No More Adam: Learning Rate Scaling at
 * Initialization is All You Need", arXiv:2412.11768) on a small char-GPT (Moby Dick) and the
 * digits CNN. Every run starts from the same weights and sees the same batches; plain SGD gets a
 * small learning-rate sweep and its best run is compared.
 */
public final class OptimizerComparisonStudy implements Study {
  static final double MATCH = 0.05;
  static final double HALF_MEMORY = 0.55;

  @Override
  public String name() {
    return "sgd-sai-vs-adamw";
  }

  @Override
  public String title() {
    return "SGD-SaI: Adam's results with SGD's memory";
  }

  @Override
  public Citation paper() {
    return new Citation("M. Xu, L. Xiang, X. Cai, H. Wen", 2024,
        "No More Adam: Learning Rate Scaling at Initialization is All You Need", "2412.11768");
  }

  @Override
  public String claim() {
    return "On a transformer, SGD-SaI (momentum SGD with per-tensor learning rates set once from the gradient"
        + " signal-to-noise ratio at initialization) reaches the final loss of AdamW within a few percent and beats"
        + " tuned plain SGD, while holding half of AdamW's optimizer state.";
  }

  /** One optimizer configuration. */
  private record Run(String label, Function<Module, Optimizer> make) {}

  private record Outcome(String label, TrainLoop.History history, long stateBytes) {}

  /** Every optimizer over its learning-rate grid: the comparison is between the best run of each. */
  private static List<Run> runs(double[] sgdLrs, double[] adamLrs, double[] saiLrs) {
    List<Run> r = new ArrayList<>();
    for (double lr : sgdLrs) {
      r.add(new Run(label("SGD", lr), m -> new Sgd(ParamGroup.splitDecay(m,
          Sgd.Hyper.defaults().withLr(lr).withMomentum(0.9).withWeightDecay(0)))));
    }
    for (double lr : saiLrs) {
      r.add(new Run(label("SGD-SaI", lr), m -> new SgdSai(ParamGroup.splitDecay(m,
          SgdSai.Hyper.defaults().withLr(lr).withWeightDecay(0.01)))));
    }
    for (double lr : adamLrs) {
      r.add(new Run(label("AdamW", lr), m -> new AdamW(ParamGroup.splitDecay(m,
          AdamW.Hyper.defaults().withLr(lr).withWeightDecay(0.01)))));
    }
    return r;
  }

  private static String label(String optimizer, double lr) {
    return String.format(Locale.ROOT, "%s lr %.3g", optimizer, lr);
  }

  @Override
  public Report run(StudyContext ctx) {
    boolean full = ctx.full();
    Report report = newReport(ctx);
    TextCorpus corpus = TextCorpus.mobyDick();
    CharGpt.Config cfg = full ? new CharGpt.Config(corpus.vocabSize(), 32, 2, 64, 4)
        : new CharGpt.Config(corpus.vocabSize(), 16, 1, 16, 2);
    long gptSteps = full ? 500 : 8;
    long cnnSteps = full ? 300 : 8;
    double[] sgdLrs = full ? new double[] {0.03, 0.1, 0.3} : new double[] {0.1};
    double[] saiLrs = full ? new double[] {3e-3, 1e-2, 3e-2} : new double[] {1e-2};
    double[] adamGpt = full ? new double[] {1e-3, 2e-3, 5e-3} : new double[] {2e-3};
    double[] adamCnn = full ? new double[] {1e-3, 3e-3, 1e-2} : new double[] {3e-3};
    report.setup("transformer", "char-GPT, " + cfg.layers() + " blocks, d_model " + cfg.dModel() + ", context "
        + cfg.context() + ", batch 16, " + gptSteps + " steps");
    report.setup("CNN", "digits CNN (2 conv + linear), batch 32, " + cnnSteps + " steps");
    report.setup("schedule", "linear warmup (5%) then cosine to 10%, clip 1.0; same weights and batches for every run");
    report.setup("learning rates (each optimizer's best run is compared)", "SGD (momentum 0.9) "
        + java.util.Arrays.toString(sgdLrs) + ", SGD-SaI " + java.util.Arrays.toString(saiLrs) + ", AdamW "
        + java.util.Arrays.toString(adamGpt) + " (transformer) / " + java.util.Arrays.toString(adamCnn) + " (CNN)");
    Map<String, Outcome> gpt = new LinkedHashMap<>();
    for (Run r : runs(sgdLrs, adamGpt, saiLrs)) {
      CharGpt model = new CharGpt(cfg, CharGpt.Init.GPT2, ctx.rng().fork("gpt"));
      ctx.initialized("the char-GPT (every optimizer's run starts here)", model);
      model.to(DType.F32, ctx.device());
      Optimizer opt = r.make().apply(model);
      TrainLoop.Config loop = new TrainLoop.Config(gptSteps, Math.max(1, gptSteps / 5), 1.0,
          LrSchedule.cosine(Math.max(1, gptSteps / 20), gptSteps, 0.1));
      try (Progress p = ctx.progress(name() + " transformer " + r.label(), gptSteps)) {
        TrainLoop.History h = CharGptRun.train(model, opt, corpus, new CharGptRun.Setup(16, full ? 8 : 1, loop),
            ctx.device(), ctx.rng().fork("gpt-data"), (t, l) -> p.step(t + 1, String.format(Locale.ROOT, "loss %.3f", l)));
        gpt.put(r.label(), new Outcome(r.label(), h, opt.stateBytes()));
      }
    }
    Map<String, Outcome> cnn = new LinkedHashMap<>();
    Split digits = Split.stratified(Digits.load(), 0.2, ctx.rng().fork("split"));
    for (Run r : runs(sgdLrs, adamCnn, saiLrs)) {
      Cnn model = new Cnn(1, 10, ctx.rng().fork("cnn"));
      ctx.initialized("the digits CNN (every optimizer's run starts here)", model);
      model.to(DType.F32, ctx.device());
      Optimizer opt = r.make().apply(model);
      TrainLoop.Config loop = new TrainLoop.Config(cnnSteps, Math.max(1, cnnSteps / 5), 1.0,
          LrSchedule.cosine(Math.max(1, cnnSteps / 20), cnnSteps, 0.1));
      try (Progress p = ctx.progress(name() + " cnn " + r.label(), cnnSteps)) {
        TrainLoop.History h = ClassifierRun.train(model, opt, digits, 32, loop, Digits::images, ctx.device(),
            ctx.rng().fork("cnn-data"), (t, l) -> p.step(t + 1, String.format(Locale.ROOT, "loss %.3f", l)));
        cnn.put(r.label(), new Outcome(r.label(), h, opt.stateBytes()));
      }
    }
    return conclude(report, gpt, cnn);
  }

  /** The run of {@code optimizer} (label prefix) with the lowest final validation loss. */
  private static Outcome best(Map<String, Outcome> runs, String optimizer) {
    return runs.values().stream().filter(o -> o.label().startsWith(optimizer + " lr "))
        .min(java.util.Comparator.comparingDouble(o -> o.history().last().loss())).orElseThrow();
  }

  private Report conclude(Report report, Map<String, Outcome> gpt, Map<String, Outcome> cnn) {
    for (var task : List.of(Map.entry("transformer", gpt), Map.entry("CNN", cnn))) {
      List<List<Object>> rows = new ArrayList<>();
      List<Plots.Series> curves = new ArrayList<>();
      for (Outcome o : task.getValue().values()) {
        TrainLoop.Eval e = o.history().last();
        rows.add(List.of(o.label(), e.loss(), Double.isNaN(e.accuracy()) ? "—" : e.accuracy(), o.stateBytes(),
            1000 * o.history().secondsPerStep()));
        curves.add(Plots.Series.of(o.label(), o.history().trainLossArray()));
        report.measure(task.getKey() + "." + o.label() + ".final_val_loss", e.loss());
        report.measure(task.getKey() + "." + o.label() + ".state_bytes", o.stateBytes());
        report.measure(task.getKey() + "." + o.label() + ".train_loss", o.history().trainLossArray());
      }
      report.add(new Table(task.getKey() + ": final validation", List.of("optimizer", "loss", "accuracy",
          "optimizer state (bytes)", "ms/step"), rows));
      report.add(new Figure(task.getKey() + ": training loss",
          Plots.lines(task.getKey() + " training loss", Plots.Axes.linear("step", "cross-entropy"), curves)));
    }
    Outcome bestSai = best(gpt, "SGD-SaI");
    Outcome bestAdam = best(gpt, "AdamW");
    Outcome bestSgd = best(gpt, "SGD");
    double sai = bestSai.history().last().loss();
    double adam = bestAdam.history().last().loss();
    double sgd = bestSgd.history().last().loss();
    double memory = (double) bestSai.stateBytes() / bestAdam.stateBytes();
    boolean ok = sai <= adam * (1 + MATCH) && sai < sgd && memory <= HALF_MEMORY;
    report.verdict(new Verdict(ok, String.format(Locale.ROOT,
        "transformer final validation loss (best learning rate of each): SGD-SaI %.4f (%s) vs AdamW %.4f (%s), %+.1f%%"
            + " (limit +%.0f%%), vs SGD %.4f (%s); optimizer state of SGD-SaI = %.3f × AdamW's (limit %.2f).", sai,
        bestSai.label(), adam, bestAdam.label(), 100 * (sai / adam - 1), 100 * MATCH, sgd, bestSgd.label(), memory,
        HALF_MEMORY)));
    report.note("SGD-SaI keeps one momentum buffer plus one g-SNR scalar per tensor; AdamW keeps two moments and a step"
        + " count per tensor (see the optimizers' stateBytes() accounting).");
    return report;
  }
}
