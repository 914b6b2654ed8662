package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.incipit.init.TFixup;
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
 * T-Fixup on a char-level GPT (Moby Dick): the same decoder trained three ways from the same seed
 * and batches — the standard recipe (pre-LN blocks, GPT-2 init, linear warmup), the model without
 * any LayerNorm under T-Fixup and without warmup, and the model without LayerNorm under GPT-2's init
 * and without warmup (what T-Fixup is meant to fix). AdamW, cosine decay, no gradient clipping
 * (clipping would hide the instability warmup and T-Fixup address). Full budget: 2 seeds × 3 arms ×
 * 400 steps; measured 6.5 min wall on 2 cores under heavy contention (load ≈ 25), 89 s of CPU time.
 */
public final class TFixupStudy implements Study {
  /** T-Fixup's final validation loss may exceed the standard recipe's by at most this fraction. */
  static final double MATCH = 0.02;

  @Override
  public String name() {
    return "t-fixup";
  }

  @Override
  public String title() {
    return "T-Fixup: a transformer without LayerNorm and warmup";
  }

  @Override
  public Citation paper() {
    return new Citation("X. S. Huang, F. Perez, J. Ba, M. Volkovs", 2020,
        "Improving Transformer Optimization Through Better Initialization (ICML 2020)", null);
  }

  @Override
  public String claim() {
    return "With T-Fixup (Xavier, N(0, d^(−1/2)) embeddings, v, w, MLP and embeddings × (9M)^(−1/4)) a transformer"
        + " trains without LayerNorm and without warmup: (a) its final validation loss is within " + (int) (100 * MATCH)
        + "% of (or below) the pre-LN model trained with warmup, and (b) the LayerNorm-free model under the standard"
        + " (GPT-2) init without warmup ends more than " + (int) (100 * MATCH) + "% worse or diverges.";
  }

  private record Arm(String label, boolean layerNorm, CharGpt.Init init, long warmup) {}

  /** A run's curves, or the step at which its loss stopped being finite (−1: never). */
  private record Run(Arm arm, int seed, double[] trainLoss, double[] evalSteps, double[] evalLoss, long divergedAt) {
    double finalLoss() {
      return divergedAt >= 0 || evalLoss.length == 0 ? Double.POSITIVE_INFINITY : evalLoss[evalLoss.length - 1];
    }
  }

  @Override
  public Report run(StudyContext ctx) {
    boolean full = ctx.full();
    TextCorpus corpus = TextCorpus.mobyDick();
    CharGpt.Config cfg = full ? new CharGpt.Config(corpus.vocabSize(), 32, 4, 64, 4)
        : new CharGpt.Config(corpus.vocabSize(), 16, 2, 16, 2);
    long steps = full ? 400 : 8;
    long warmup = full ? 80 : 2;
    double lr = 3e-3;
    Report report = newReport(ctx);
    report.setup("model", cfg.layers() + " blocks, d_model " + cfg.dModel() + ", " + cfg.heads() + " heads, context "
        + cfg.context() + ", vocabulary " + cfg.vocab() + " characters");
    report.setup("training", steps + " steps of batch " + (full ? 16 : 4) + ", AdamW lr " + lr + " cosine to 0.1×,"
        + " wd 0.1 on matrices, no clipping; warmup " + warmup + " steps only for the pre-LN arm");
    report.setup("data", "Moby Dick (first 90% train, last 10% validation)");
    List<Arm> arms = List.of(
        new Arm("pre-LN, GPT-2 init, warmup", true, CharGpt.Init.GPT2, warmup),
        new Arm("no LN, T-Fixup, no warmup", false, CharGpt.Init.T_FIXUP, 0),
        new Arm("no LN, GPT-2 init, no warmup", false, CharGpt.Init.GPT2, 0));
    int seeds = full ? 2 : 1;
    report.setup("seeds", seeds + " (the verdict uses the mean final validation loss over seeds)");
    List<Run> runs = new ArrayList<>();
    for (int seed = 0; seed < seeds; seed++) {
      for (Arm arm : arms) {
        runs.add(train(arm, seed, cfg, corpus, steps, lr, full, ctx));
      }
    }
    return conclude(report, runs, arms, cfg);
  }

  private Run train(Arm arm, int seed, CharGpt.Config cfg, TextCorpus corpus, long steps, double lr, boolean full,
                    StudyContext ctx) {
    Rng rng = ctx.rng().fork("seed").fork(seed);
    CharGpt model = new CharGpt(cfg, arm.init(), arm.layerNorm(), rng.fork("model"));
    ctx.initialized("the char-GPT, " + arm.label(), model);
    model.to(DType.F32, ctx.device());
    AdamW opt = new AdamW(ParamGroup.splitDecay(model, AdamW.Hyper.defaults().withLr(lr).withWeightDecay(0.1)));
    CharGptRun.Setup setup = new CharGptRun.Setup(full ? 16 : 4, full ? 8 : 2,
        new TrainLoop.Config(steps, full ? 50 : 4, 0, LrSchedule.cosine(arm.warmup(), steps, 0.1)));
    List<Double> losses = new ArrayList<>();
    try (Progress progress = ctx.progress(name() + " " + arm.label() + " seed " + seed, steps)) {
      TrainLoop.History h = CharGptRun.train(model, opt, corpus, setup, ctx.device(), rng.fork("data"), (t, loss) -> {
        losses.add(loss);
        progress.step(t + 1, String.format(Locale.ROOT, "loss %.3f", loss));
      });
      return new Run(arm, seed, h.trainLossArray(), h.evalSteps().stream().mapToDouble(Long::doubleValue).toArray(),
          h.evals().stream().mapToDouble(TrainLoop.Eval::loss).toArray(), -1);
    } catch (ArithmeticException diverged) {
      double[] l = losses.stream().mapToDouble(Double::doubleValue).toArray();
      return new Run(arm, seed, l, new double[0], new double[0], l.length);
    }
  }

  private Report conclude(Report report, List<Run> runs, List<Arm> arms, CharGpt.Config cfg) {
    List<List<Object>> rows = new ArrayList<>();
    List<Plots.Series> curves = new ArrayList<>();
    List<Plots.Series> evals = new ArrayList<>();
    for (Run r : runs) {
      String label = r.arm().label() + (r.seed() > 0 ? ", seed " + r.seed() : "");
      double[] t = r.trainLoss();
      rows.add(List.of(r.arm().label(), r.seed(), t.length > 0 ? t[0] : Double.NaN, max(t),
          r.divergedAt() >= 0 ? "step " + r.divergedAt() : "no", r.finalLoss()));
      if (r.seed() > 0) {
        report.measure(label + ".final_val_loss", r.finalLoss());
        continue;
      }
      curves.add(Plots.Series.of(label, t));
      if (r.evalSteps().length > 0) {
        evals.add(new Plots.Series(label, r.evalSteps(), r.evalLoss()));
      }
      report.measure(label + ".train_loss", t);
      report.measure(label + ".val_loss", r.evalLoss());
      report.measure(label + ".diverged_at", r.divergedAt());
      report.measure(label + ".final_val_loss", r.finalLoss());
    }
    report.add(new Table("Final validation loss", List.of("arm", "seed", "first train loss", "largest train loss",
        "loss non-finite", "final val loss"), rows));
    report.add(new Figure("Training loss", Plots.lines("Training loss", Plots.Axes.linear("step", "cross-entropy"),
        curves)));
    report.add(new Figure("Validation loss (seed 0)", Plots.lines("Validation loss, seed 0", Plots.Axes.linear("step", "cross-entropy"),
        evals)));
    report.note(String.format(Locale.ROOT, "T-Fixup factor for M = %d decoder blocks: (9M)^(−1/4) = %.4f; embedding"
        + " std d^(−1/2)·(9M)^(−1/4) = %.4f for d = %d.", cfg.layers(), TFixup.decoderScale(cfg.layers()),
        TFixup.decoderScale(cfg.layers()) / Math.sqrt(cfg.dModel()), cfg.dModel()));
    report.note("The model is decoder-only with a head tied to the token table; there is no encoder, so only the"
        + " decoder rules apply. The embeddings are not multiplied by √d in the forward (fairseq does).");
    return verdict(report, runs, arms);
  }

  private static Report verdict(Report report, List<Run> runs, List<Arm> arms) {
    double standard = meanFinal(runs, arms.get(0));
    double tfixup = meanFinal(runs, arms.get(1));
    double noLn = meanFinal(runs, arms.get(2));
    boolean a = tfixup <= standard * (1 + MATCH);
    boolean b = noLn > standard * (1 + MATCH);
    String head = a && b ? "" : a || b ? "PARTLY (part " + (a ? "a" : "b") + " holds). " : "";
    report.verdict(new Verdict(a && b, String.format(Locale.ROOT, "%s(a) T-Fixup without LN and warmup ends at %.4f"
            + " (mean over seeds) vs %.4f for pre-LN with warmup (%+.2f%%, limit +%.0f%%): %s; (b) no LN under GPT-2 init without"
            + " warmup ends at %.4f (%+.2f%%): %s.", head, tfixup, standard, 100 * (tfixup / standard - 1), 100 * MATCH,
        a ? "holds" : "fails", noLn, 100 * (noLn / standard - 1), b ? "holds" : "fails")));
    return report;
  }

  /** Mean final validation loss of {@code arm} over the seeds (+∞ if any seed diverged). */
  private static double meanFinal(List<Run> runs, Arm arm) {
    return runs.stream().filter(r -> r.arm() == arm).mapToDouble(Run::finalLoss).average().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      m = Math.max(m, d);
    }
    return m;
  }
}
