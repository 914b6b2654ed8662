package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.TextCorpus;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.report.Citation;
import org.incipit.models.report.Figure;
import org.incipit.models.report.Plots;
import org.incipit.models.report.Progress;
import org.incipit.models.report.Report;
import org.incipit.models.report.Table;
import org.incipit.models.report.Verdict;
import org.incipit.models.train.TrainLoop;
import org.incipit.optim.AdamW;
import org.incipit.optim.LrSchedule;
import org.incipit.optim.ParamGroup;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * GPT-2's residual scaling: a char-level GPT on Moby Dick initialized with N(0, 0.02²) everywhere
 * against the same model whose residual projections ({@code attn.wo}, {@code mlp.proj}) are drawn
 * with std 0.02/√(2·n_layer). Measures the residual stream's variance after each block at
 * initialization, trains both with AdamW from the same seed and data order, and reports the loss
 * curves and the std of the residual projections before and after training.
 */
public final class Gpt2ScaledInitStudy implements Study {
  static final double LOSS_TOLERANCE = 0.02;

  @Override
  public String name() {
    return "gpt2-scaled-init";
  }

  @Override
  public String title() {
    return "GPT-2's 1/√(2·n_layer) residual scaling";
  }

  @Override
  public Citation paper() {
    return new Citation("A. Radford, J. Wu, R. Child, D. Luan, D. Amodei, I. Sutskever", 2019,
        "Language Models are Unsupervised Multitask Learners", null);
  }

  @Override
  public String claim() {
    return "Scaling the residual projections by 1/√(2·n_layer) at initialization accounts for the accumulation on the"
        + " residual path: the residual stream's variance grows less across the blocks than with plain N(0, 0.02),"
        + " and the scaled model trains at least as well (final validation loss within 2% or better).";
  }

  @Override
  public Report run(StudyContext ctx) {
    boolean full = ctx.full();
    CharGpt.Config probe = full ? new CharGpt.Config(0, 64, 6, 128, 4) : new CharGpt.Config(0, 32, 2, 32, 2);
    TextCorpus corpus = TextCorpus.mobyDick();
    CharGpt.Config cfg = new CharGpt.Config(corpus.vocabSize(), probe.context(), probe.layers(), probe.dModel(), probe.heads());
    long steps = full ? 800 : 20;
    CharGptRun.Setup setup = new CharGptRun.Setup(full ? 16 : 4, full ? 8 : 2,
        new TrainLoop.Config(steps, full ? 100 : 10, 1.0, LrSchedule.cosine(full ? 100 : 2, steps, 0.1)));
    AdamW.Hyper hyper = AdamW.Hyper.defaults().withLr(2e-3).withWeightDecay(0.1);
    Report report = newReport(ctx);
    report.setup("model", cfg.layers() + " blocks, d_model " + cfg.dModel() + ", " + cfg.heads() + " heads, context "
        + cfg.context() + ", vocabulary " + cfg.vocab() + " characters");
    report.setup("training", steps + " steps of batch " + setup.batch() + ", AdamW lr 2e-3 (cosine, warmup), wd 0.1"
        + " on matrices, clip 1.0");
    report.setup("data", "Moby Dick (first 90% train, last 10% validation)");
    Map<CharGpt.Init, Result> results = new LinkedHashMap<>();
    for (CharGpt.Init init : List.of(CharGpt.Init.NORMAL_002, CharGpt.Init.GPT2)) {
      Rng rng = ctx.rng();
      CharGpt model = new CharGpt(cfg, init, rng.fork("model"));
      ctx.initialized("the char-GPT under " + init, model);
      model.to(DType.F32, ctx.device());
      double[] residual = residualVariance(model, corpus, ctx, rng);
      double[] stdBefore = projectionStd(model);
      AdamW opt = new AdamW(ParamGroup.splitDecay(model, hyper));
      TrainLoop.History h;
      try (Progress progress = ctx.progress(name() + " " + label(init), steps)) {
        h = CharGptRun.train(model, opt, corpus, setup, ctx.device(), rng.fork("data"),
            (t, loss) -> progress.step(t + 1, String.format(Locale.ROOT, "loss %.3f", loss)));
      }
      results.put(init, new Result(residual, stdBefore, projectionStd(model), h));
    }
    return conclude(report, results, cfg);
  }

  private record Result(double[] residualVar, double[] stdBefore, double[] stdAfter, TrainLoop.History history) {}

  private static String label(CharGpt.Init init) {
    return init == CharGpt.Init.GPT2 ? "scaled 0.02/√(2L)" : "plain N(0, 0.02)";
  }

  /** Variance of the residual stream after the embeddings (index 0) and after each block, at init. */
  private static double[] residualVariance(CharGpt model, TextCorpus corpus, StudyContext ctx, Rng rng) {
    TextCorpus.Batch b = corpus.batch(false, 8, model.config().context(), rng.fork("probe"));
    return SignalPropagation.residualVariances(model.blocks(), () -> NoGrad.run(() -> model.forward(b.x().to(ctx.device()))));
  }

  /** Std of each block's residual projections, attn.wo then mlp.proj. */
  private static double[] projectionStd(CharGpt model) {
    var params = model.namedParameters();
    int layers = model.blocks().size();
    double[] s = new double[2 * layers];
    for (int i = 0; i < layers; i++) {
      s[2 * i] = CharGptRun.std(params.get("blocks." + i + ".attn.wo.weight").value());
      s[2 * i + 1] = CharGptRun.std(params.get("blocks." + i + ".mlp.proj.weight").value());
    }
    return s;
  }

  private Report conclude(Report report, Map<CharGpt.Init, Result> results, CharGpt.Config cfg) {
    Result plain = results.get(CharGpt.Init.NORMAL_002);
    Result scaled = results.get(CharGpt.Init.GPT2);
    List<Plots.Series> curves = new ArrayList<>();
    List<Plots.Series> evals = new ArrayList<>();
    Map<String, double[]> residual = new LinkedHashMap<>();
    List<List<Object>> rows = new ArrayList<>();
    for (var e : results.entrySet()) {
      Result r = e.getValue();
      String label = label(e.getKey());
      curves.add(Plots.Series.of(label, r.history().trainLossArray()));
      evals.add(new Plots.Series(label, r.history().evalSteps().stream().mapToDouble(Long::doubleValue).toArray(),
          r.history().evals().stream().mapToDouble(TrainLoop.Eval::loss).toArray()));
      residual.put(label, r.residualVar()); // layerProfile plots log10 of the values
      rows.add(List.of(label, r.residualVar()[0], r.residualVar()[r.residualVar().length - 1], growth(r),
          mean(r.stdBefore()), mean(r.stdAfter()), r.history().last().loss(), r.history().secondsPerStep()));
      report.measure(label + ".residual_variance", r.residualVar());
      report.measure(label + ".projection_std_init", r.stdBefore());
      report.measure(label + ".projection_std_trained", r.stdAfter());
      report.measure(label + ".train_loss", r.history().trainLossArray());
      report.measure(label + ".final_val_loss", r.history().last().loss());
    }
    report.add(new Table("Residual stream and residual projections",
        List.of("init", "Var after embeddings", "Var after last block", "growth across blocks",
            "mean std of projections (init)", "(trained)", "final val loss", "s/step"), rows));
    report.add(new Figure("Training loss", Plots.lines("Training loss", Plots.Axes.linear("step", "cross-entropy"), curves)));
    report.add(new Figure("Validation loss", Plots.lines("Validation loss", Plots.Axes.linear("step", "cross-entropy"), evals)));
    report.add(new Figure("Residual stream variance at init",
        Plots.layerProfile("Residual stream at init (layer 1 = embeddings)", "Var", residual)));
    double lossPlain = plain.history().last().loss();
    double lossScaled = scaled.history().last().loss();
    boolean lessGrowth = growth(scaled) < growth(plain);
    boolean trainsAsWell = lossScaled <= lossPlain * (1 + LOSS_TOLERANCE);
    report.note("Expected std of the scaled projections: 0.02/√(2·" + cfg.layers() + ") = "
        + String.format(Locale.ROOT, "%.5f", 0.02 / Math.sqrt(2.0 * cfg.layers())) + ".");
    report.verdict(new Verdict(lessGrowth && trainsAsWell, String.format(Locale.ROOT,
        "residual-stream variance grows %.2f× across the blocks with the scaling vs %.2f× without; final validation"
            + " loss %.4f (scaled) vs %.4f (plain), %+.2f%% (limit +%.0f%%).", growth(scaled), growth(plain),
        lossScaled, lossPlain, 100 * (lossScaled / lossPlain - 1), 100 * LOSS_TOLERANCE)));
    return report;
  }

  private static double growth(Result r) {
    double[] v = r.residualVar();
    return v[v.length - 1] / v[0];
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d / v.length;
    }
    return s;
  }
}
