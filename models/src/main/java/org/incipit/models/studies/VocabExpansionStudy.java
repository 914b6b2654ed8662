package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.VocabularyExpansion;
import org.incipit.models.data.BigramMerges;
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
 * Vocabulary expansion of a trained char-GPT (Moby Dick): the k most frequent training bigrams
 * become new tokens ({@link BigramMerges}), and their rows of the tied token table are initialised
 * by HF's default N(0, 0.02²), the mean, univariate and multivariate Gaussians, Dirichlet convex
 * combinations, or CW2V ({@link VocabularyExpansion}, {@link Cw2vTraining}). At step 0 it measures,
 * on character contexts, KL(p_old ‖ p_new) and the probability mass on the new tokens, and the loss
 * per character of the re-encoded validation text; then every variant is fine-tuned with the same
 * batches and the curves are compared.
 *
 * <p>{@code full} (24 new tokens, 6 inits × 150 fine-tuning steps, CW2V 300 SGNS steps) took 111 s
 * wall, 36 s of CPU, with the pretrained model cached, on two cores shared with other jobs (load
 * average ≈ 20); pretraining it from a clean folder took 78 s more (load ≈ 12). Verdict PARTLY (the KL
 * bound only).
 */
public final class VocabExpansionStudy implements Study {
  /** Random init must put at least this many times mean init's mass on the new tokens (Hewitt's "swamping"). */
  static final double MASS_RATIO = 2.0;
  /** CW2V and multivariate end within this fraction of the best other init ("as well as or better"). */
  static final double FINAL_TOLERANCE = 0.01;

  private static final List<String> METHODS = List.of("N(0, 0.02²)", "mean", "univariate", "multivariate",
      "convex hull", "CW2V");

  @Override
  public String name() {
    return "vocab-expansion";
  }

  @Override
  public String title() {
    return "New tokens inside the convex hull of the old ones";
  }

  @Override
  public Citation paper() {
    return new Citation("N. Mundra, A. Khandavally, R. Dabre, R. Puduppully, A. Kunchukuttan, M. M. Khapra", 2024,
        "An Empirical Comparison of Vocabulary Expansion and Initialization Approaches for Language Models",
        "2407.05841");
  }

  @Override
  public String claim() {
    return "Mean init keeps KL(p_old ‖ p_new) ≤ log(1 + k/n) (Hewitt); HF's N(0, 0.02²) rows put much more mass on the"
        + " new tokens and start at a higher loss; CW2V and multivariate init fine-tune as well as or better than the"
        + " alternatives (final loss within 1% of the best other init).";
  }

  private record Outcome(double klMean, double klMax, double newMass, double loss0, double[] steps, double[] val) {}

  @Override
  public Report run(StudyContext ctx) {
    boolean full = ctx.full();
    PretrainedCharGpt.Pretrained lm = PretrainedCharGpt.load(PretrainedCharGpt.Settings.of(ctx.budget()),
        PretrainedCharGpt.cacheDir(name()), ctx);
    int k = full ? 24 : 4;
    int steps = full ? 150 : 4;
    int batch = full ? 16 : 4;
    int evalEvery = full ? 25 : 2;
    BigramMerges merges = BigramMerges.top(lm.corpus(), k);
    Cw2vTraining.Settings cw2v = new Cw2vTraining.Settings(64, full ? 300 : 5, full ? 256 : 32, 5, 5, 1e-2, 1e-3);
    Report report = newReport(ctx);
    report.setup("pretrained model", lm.settings().toString() + ", validation loss "
        + String.format(Locale.ROOT, "%.4f", lm.validationLoss()));
    report.setup("new tokens", k + " most frequent training bigrams of Moby Dick, greedy left-to-right merge");
    report.setup("fine-tuning", steps + " steps of batch " + batch + ", AdamW lr 1e-3 constant, wd 0.1 on matrices,"
        + " clip 1.0, every parameter trained, same batches for every init");
    report.setup("CW2V", cw2v.toString());
    report.setup("multivariate c", VocabularyExpansion.HEWITT_SCALE);
    Tensor e = PretrainedCharGpt.tokenTable(lm.model());
    int n = e.size(0);
    Rng rng = ctx.rng().fork("vocab-expansion");
    Map<String, Outcome> out = new LinkedHashMap<>();
    double[] cw2vLoss = null;
    for (String method : METHODS) {
      Rng r = rng.fork(method);
      Tensor rows;
      if (method.equals("CW2V")) {
        Cw2vTraining.Result res = Cw2vTraining.train(e, merges, cw2v, r);
        rows = res.rows();
        cw2vLoss = res.losses();
      } else {
        rows = rows(method, e, k, r);
      }
      CharGpt model = PretrainedCharGpt.withTokenTable(lm.model(), VocabularyExpansion.expand(e, rows), ctx.device());
      ctx.initialized("the char-GPT with " + method + " rows for the new tokens", model);
      out.put(method, measure(lm, model, merges, n, batch, steps, evalEvery, ctx, rng.fork("data"), method));
    }
    report.measure("cw2v.sgns_loss", cw2vLoss);
    return conclude(report, out, n, k, lm);
  }

  private static Tensor rows(String method, Tensor e, int k, Rng r) {
    return switch (method) {
      case "N(0, 0.02²)" -> Tensors.of(DType.F32, r.normal(k * e.size(1), 0, 0.02), k, e.size(1));
      case "mean" -> VocabularyExpansion.mean(e, k);
      case "univariate" -> VocabularyExpansion.univariate(e, k, r);
      case "multivariate" -> VocabularyExpansion.multivariate(e, k, VocabularyExpansion.HEWITT_SCALE, r);
      case "convex hull" -> VocabularyExpansion.convexHull(e, k, r);
      default -> throw new IllegalArgumentException("vocab-expansion: unknown method " + method);
    };
  }

  private Outcome measure(PretrainedCharGpt.Pretrained lm, CharGpt model, BigramMerges merges, int n, int batch,
                          int steps, int evalEvery, StudyContext ctx, Rng data, String method) {
    int context = model.config().context();
    double[] kl = new double[2];
    double mass = 0;
    int evalBatches = 4;
    try (NoGrad ignored = NoGrad.enter()) {
      for (int i = 0; i < evalBatches; i++) {
        TextCorpus.Batch b = lm.corpus().batch(false, batch, context, data.fork("chars").fork(i));
        Tensor idx = b.x().to(ctx.device());
        Tensor logOld = Functional.logSoftmax(lm.model().forward(idx), 2);      // (B, T, n)
        Tensor logNew = Functional.logSoftmax(model.forward(idx), 2);           // (B, T, n + k)
        Tensor klPos = logOld.exp().mul(logOld.sub(logNew.slice(2, 0, n))).sum(2); // (B, T)
        kl[0] += klPos.mean().item() / evalBatches;
        kl[1] = Math.max(kl[1], klPos.flatten().max(0).item());
        mass += logNew.slice(2, n, logNew.size(2)).exp().sum(2).mean().item() / evalBatches;
      }
    }
    List<TextCorpus.Batch> val = new ArrayList<>();
    for (int i = 0; i < evalBatches; i++) {
      val.add(merges.batch(false, batch, context, data.fork("val").fork(i)));
    }
    double loss0 = perChar(model, val, merges, ctx);
    List<Double> evalSteps = new ArrayList<>(List.of(0.0));
    List<Double> evals = new ArrayList<>(List.of(loss0));
    AdamW opt = new AdamW(ParamGroup.splitDecay(model, AdamW.Hyper.defaults().withLr(1e-3).withWeightDecay(0.1)));
    try (Progress progress = ctx.progress(name() + " " + method, steps)) {
      TrainLoop.run(model, opt, new TrainLoop.Config(steps, evalEvery, 1.0, LrSchedule.constant()), t -> {
        TextCorpus.Batch b = merges.batch(true, batch, context, data.fork("train").fork(t));
        return model.loss(b.x().to(ctx.device()), b.y().to(ctx.device()));
      }, () -> {
        evals.add(perChar(model, val, merges, ctx));
        evalSteps.add((double) (evals.size() - 1) * evalEvery);
        return new TrainLoop.Eval(evals.get(evals.size() - 1), Double.NaN);
      }, (t, l) -> progress.step(t + 1, String.format(Locale.ROOT, "loss %.3f", l)));
    }
    evalSteps.set(evalSteps.size() - 1, (double) steps);
    return new Outcome(kl[0], kl[1], mass, loss0, evalSteps.stream().mapToDouble(Double::doubleValue).toArray(),
        evals.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Validation loss per character: Σ NLL over the target tokens / Σ characters they stand for. */
  private static double perChar(CharGpt model, List<TextCorpus.Batch> val, BigramMerges merges, StudyContext ctx) {
    double nll = 0;
    long chars = 0;
    try (NoGrad ignored = NoGrad.enter()) {
      for (TextCorpus.Batch b : val) {
        Tensor logits = model.forward(b.x().to(ctx.device()));                 // (B, T, V + k)
        nll += Losses.crossEntropy(logits.reshape(-1, logits.size(2)), b.y().to(ctx.device()).reshape(-1),
            Losses.CrossEntropyOptions.defaults().withReduction(Reduction.SUM)).item();
        chars += merges.chars(b.y());
      }
    }
    return nll / chars;
  }

  private Report conclude(Report report, Map<String, Outcome> out, int n, int k, PretrainedCharGpt.Pretrained lm) {
    double bound = VocabularyExpansion.meanKlBound(n, k);
    List<List<Object>> rows = new ArrayList<>();
    List<Plots.Series> curves = new ArrayList<>();
    out.forEach((m, o) -> {
      rows.add(List.of(m, o.klMean(), o.klMax(), o.newMass(), o.loss0(), o.val()[o.val().length - 1]));
      curves.add(new Plots.Series(m, o.steps(), o.val()));
      report.measure(m + ".kl_mean", o.klMean());
      report.measure(m + ".kl_max", o.klMax());
      report.measure(m + ".new_token_mass", o.newMass());
      report.measure(m + ".val_loss_per_char", o.val());
    });
    report.add(new Table("Step 0 and after fine-tuning (loss in nats per character)", List.of("init",
        "mean KL(p_old‖p_new)", "max KL", "mass on new tokens", "loss at step 0", "final loss"), rows));
    report.add(new Figure("Fine-tuning", Plots.lines("Validation loss per character",
        Plots.Axes.linear("fine-tuning step", "nats per character"), curves)));
    Outcome random = out.get("N(0, 0.02²)");
    Outcome mean = out.get("mean");
    boolean klHolds = mean.klMax() <= bound;
    boolean swamps = random.newMass() >= MASS_RATIO * mean.newMass() && random.loss0() > mean.loss0();
    double bestOther = out.entrySet().stream().filter(x -> !x.getKey().equals("CW2V") && !x.getKey().equals("multivariate"))
        .mapToDouble(x -> last(x.getValue())).min().orElseThrow();
    boolean asGood = last(out.get("CW2V")) <= bestOther * (1 + FINAL_TOLERANCE)
        && last(out.get("multivariate")) <= bestOther * (1 + FINAL_TOLERANCE);
    notes(report, n, k, bound, lm);
    List<String> failed = new ArrayList<>();
    if (!klHolds) {
      failed.add("the KL bound");
    }
    if (!swamps) {
      failed.add("random init swamping");
    }
    if (!asGood) {
      failed.add("CW2V/multivariate as good as the rest");
    }
    String word = failed.isEmpty() || failed.size() == 3 ? "" : "PARTLY (not: " + String.join(", ", failed) + "). ";
    report.verdict(new Verdict(failed.isEmpty(), String.format(Locale.ROOT, "%sMean init max KL %.2e vs bound %.4f;"
        + " new-token mass %.4f (N(0, 0.02²)) vs %.4f (mean), step-0 loss %.4f vs %.4f; final loss CW2V %.4f,"
        + " multivariate %.4f, best other %.4f (tolerance %.0f%%).", word, mean.klMax(), bound, random.newMass(),
        mean.newMass(), random.loss0(), mean.loss0(), last(out.get("CW2V")), last(out.get("multivariate")), bestOther,
        100 * FINAL_TOLERANCE)));
    return report;
  }

  private static void notes(Report report, int n, int k, double bound, PretrainedCharGpt.Pretrained lm) {
    report.note("n = " + n + " old tokens, k = " + k + " new: the bound log(1 + k/n) = "
        + String.format(Locale.ROOT, "%.4f", bound) + ". KL and mass are over character contexts of the validation"
        + " text (the old model's inputs); the pretrained model's own validation loss is "
        + String.format(Locale.ROOT, "%.4f nats per character.", lm.validationLoss()));
    report.note("Hewitt's worry is the distortion of the old distribution (the KL columns). The loss at step 0 is on"
        + " the re-encoded text, where the new tokens are frequent bigrams that do occur, so mass on them is not all"
        + " wasted; the two measures can disagree.");
    report.note("One seed: every init is fine-tuned on the same batches; the inits differ only in the new rows.");
  }

  private static double last(Outcome o) {
    return o.val()[o.val().length - 1];
  }
}
