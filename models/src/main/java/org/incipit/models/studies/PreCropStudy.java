package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.init.PreCrop;
import org.incipit.models.data.Digits;
import org.incipit.models.data.Split;
import org.incipit.models.nets.ChannelCnn;
import org.incipit.models.report.Citation;
import org.incipit.models.report.Figure;
import org.incipit.models.report.Plots;
import org.incipit.models.report.Progress;
import org.incipit.models.report.Report;
import org.incipit.models.report.Table;
import org.incipit.models.report.Verdict;
import org.incipit.models.train.TrainLoop;
import org.incipit.nn.Parameter;
import org.incipit.nn.prune.Pruning;
import org.incipit.nn.prune.Saliency;
import org.incipit.optim.AdamW;
import org.incipit.optim.LrSchedule;
import org.incipit.optim.ParamGroup;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * PreCrop against weight-level pruning at initialization (Cai et al. 2022, arXiv:2203.02549) on a
 * small CNN on the digits ({@link ChannelCnn} 8/16/16): at each parameter budget, (a) PreCrop —
 * water-filling layer densities realised by cropping channels, a smaller dense net trained from a
 * fresh default init — and (b) SynFlow, the paper's strongest data-free weight-level baseline
 * (iterative, global top-k, mask fixed in training), against (c) the unpruned net.
 *
 * <p>Decided at {@code full} on the mean over 2 seeds. {@code full} measured 168–230 s wall (42–56 s
 * of CPU) on 2 cores shared with other jobs (load 14–25), same bits each time; verdict PARTLY: PreCrop wins at 50 % and
 * 25 % of the weights and loses by 2.9 points at 10 %.
 */
public final class PreCropStudy implements Study {
  static final int[] BASE = {8, 16, 16};
  /** PreCrop "matches or beats" weight-level pruning: mean accuracy ≥ SynFlow's − 1 point at every budget. */
  static final double SLACK = 0.01;

  @Override
  public String name() {
    return "precrop";
  }

  @Override
  public String title() {
    return "PreCrop: channel pruning at initialization matches weight pruning at the same density, with real FLOP savings";
  }

  @Override
  public Citation paper() {
    return new Citation("Y. Cai, W. Hua, H. Chen, G. E. Suh, C. De Sa, Z. Zhang", 2022,
        "Structured Pruning is All You Need for Pruning CNNs at Initialization", "2203.02549");
  }

  @Override
  public String claim() {
    return "Accuracy after pruning at initialization depends on the layer-wise densities, not on the granularity:"
        + " a network cropped channel-wise to the densities of the convex (sum-of-log-density) program reaches at"
        + " least the accuracy of weight-level SynFlow pruning at the same parameter budget (within " + 100 * SLACK
        + " point, at every budget), while it executes fewer multiply–accumulates.";
  }

  private record Outcome(double accuracy, double weights, double macs) {}

  @Override
  public Report run(StudyContext ctx) {
    boolean full = ctx.full();
    double[] budgets = full ? new double[] {0.5, 0.25, 0.1} : new double[] {0.25};
    int seeds = full ? 2 : 1;
    long steps = full ? 300 : 6;
    int rounds = full ? 20 : 2;
    Report report = newReport(ctx);
    ChannelCnn probe = new ChannelCnn(BASE, Digits.CLASSES, Rng.seeded(0));
    PreCrop.Chain chain = probe.chain();
    report.setup("model", "ChannelCnn widths " + Arrays.toString(BASE) + " (3×3 convs, ReLU, max-pool), "
        + (long) chain.totalParams() + " weights, " + (long) chain.macs() + " MACs per example; PyTorch default init");
    report.setup("budgets (fraction of weights kept)", Arrays.toString(budgets));
    report.setup("PreCrop", "densities d_l = min(1, λ/n_l) (max Σ log d_l s.t. Σ d_l n_l = B), widths by the log-space"
        + " least-squares fit of PreCrop.crop; the cropped net is freshly initialised");
    report.setup("SynFlow", rounds + " rounds, exponential schedule, global top-k over conv and linear weights; mask fixed");
    report.setup("training", "digits (80/20 stratified), AdamW lr 3e-3, weight decay 0, batch 32, " + steps
        + " steps, 5% warmup then cosine to 10%, clip 1.0; seeds " + seeds);
    Split digits = Split.stratified(Digits.load(), 0.2, ctx.rng().fork("split"));
    Outcome[] dense = new Outcome[seeds];
    Outcome[][] crop = new Outcome[budgets.length][seeds];
    Outcome[][] synflow = new Outcome[budgets.length][seeds];
    int[][] widths = new int[budgets.length][];
    for (int s = 0; s < seeds; s++) {
      Rng rng = ctx.rng().fork("seed").fork(s);
      dense[s] = train(ctx, net(BASE, ctx, rng), digits, steps, rng, "dense seed " + s);
      for (int b = 0; b < budgets.length; b++) {
        double budget = budgets[b] * chain.totalParams();
        widths[b] = PreCrop.crop(chain, PreCrop.densities(chain.params(), budget), budget);
        int[] w = {widths[b][1], widths[b][2], widths[b][3]};
        crop[b][s] = train(ctx, net(w, ctx, rng), digits, steps, rng, "PreCrop " + budgets[b] + " seed " + s);
        ChannelCnn sparse = net(BASE, ctx, rng);
        Pruning.apply(sparse, Saliency.synflow(sparse, Shape.of(1, 1, Digits.SIDE, Digits.SIDE), budgets[b], rounds));
        synflow[b][s] = train(ctx, sparse, digits, steps, rng, "SynFlow " + budgets[b] + " seed " + s);
      }
    }
    return conclude(report, chain, budgets, widths, dense, crop, synflow);
  }

  private static ChannelCnn net(int[] widths, StudyContext ctx, Rng rng) {
    ChannelCnn m = new ChannelCnn(widths, Digits.CLASSES, rng.fork("init"));
    m.to(DType.F32, ctx.device());
    return m;
  }

  /** Trains and measures: accuracy, nonzero weights, MACs per example (sparse MACs for a masked net). */
  private Outcome train(StudyContext ctx, ChannelCnn model, Split data, long steps, Rng rng, String label) {
    ctx.initialized(label.replaceFirst(" seed \\d+$", ""), model); // each arm as built (and pruned), first seed
    AdamW opt = new AdamW(ParamGroup.splitDecay(model, AdamW.Hyper.defaults().withLr(3e-3).withWeightDecay(0)));
    TrainLoop.Config loop = new TrainLoop.Config(steps, steps, 1.0, LrSchedule.cosine(Math.max(1, steps / 20), steps, 0.1));
    TrainLoop.History h;
    try (Progress p = ctx.progress(name() + " " + label, steps)) {
      h = ClassifierRun.train(model, opt, data, 32, loop, Digits::images, ctx.device(), rng.fork("data"),
          (t, l) -> p.step(t + 1, String.format(Locale.ROOT, "loss %.3f", l)));
    }
    Map<String, Parameter> w = Pruning.weights(model);
    int[] positions = model.chain().positions();
    double weights = 0;
    double macs = 0;
    int l = 0;
    for (Parameter p : w.values()) {
      Tensor nonzero = p.value().detach().abs().sign().sum();
      weights += nonzero.item();
      macs += nonzero.item() * positions[l++];
    }
    return new Outcome(h.last().accuracy(), weights, macs);
  }

  /** Target (water-filling) and realised (cropped) density per layer, for each budget. */
  private static Table densityTable(PreCrop.Chain chain, double[] budgets, int[][] widths) {
    List<List<Object>> rows = new ArrayList<>();
    double[] n = chain.params();
    for (int b = 0; b < budgets.length; b++) {
      double[] target = PreCrop.densities(n, budgets[b] * chain.totalParams());
      double[] realised = chain.withWidths(widths[b]).params();
      for (int l = 0; l < n.length; l++) {
        realised[l] /= n[l];
      }
      rows.add(List.of(budgets[b], Arrays.toString(round(target)), Arrays.toString(round(realised))));
    }
    return new Table("layer densities (conv1, conv2, conv3, head): water-filling target vs cropped net",
        List.of("budget", "target d_l", "realised by cropping"), rows);
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> Math.round(x * 1000) / 1000.0).toArray();
  }

  private static double mean(Outcome[] o, java.util.function.ToDoubleFunction<Outcome> f) {
    return Arrays.stream(o).mapToDouble(f).average().orElseThrow();
  }

  private Report conclude(Report report, PreCrop.Chain chain, double[] budgets, int[][] widths, Outcome[] dense,
                          Outcome[][] crop, Outcome[][] synflow) {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("dense", "1.0", Arrays.toString(BASE), mean(dense, Outcome::accuracy), mean(dense, Outcome::weights),
        chain.macs(), chain.macs()));
    report.measure("dense.val_accuracy", Arrays.stream(dense).mapToDouble(Outcome::accuracy).toArray());
    double[] x = budgets.clone();
    double[] yCrop = new double[budgets.length];
    double[] ySyn = new double[budgets.length];
    double[] yDense = new double[budgets.length];
    boolean ok = true;
    int passed = 0;
    StringBuilder deciding = new StringBuilder();
    for (int b = 0; b < budgets.length; b++) {
      yCrop[b] = mean(crop[b], Outcome::accuracy);
      ySyn[b] = mean(synflow[b], Outcome::accuracy);
      yDense[b] = mean(dense, Outcome::accuracy);
      ok &= yCrop[b] >= ySyn[b] - SLACK;
      passed += yCrop[b] >= ySyn[b] - SLACK ? 1 : 0;
      deciding.append(String.format(Locale.ROOT, "%s%.2f: PreCrop %.4f vs SynFlow %.4f", b == 0 ? "" : "; ", budgets[b],
          yCrop[b], ySyn[b]));
      String label = String.valueOf(budgets[b]);
      rows.add(List.of("PreCrop", label, Arrays.toString(Arrays.copyOfRange(widths[b], 1, 4)), yCrop[b],
          mean(crop[b], Outcome::weights), mean(crop[b], Outcome::macs), mean(crop[b], Outcome::macs)));
      rows.add(List.of("SynFlow (weights)", label, Arrays.toString(BASE), ySyn[b], mean(synflow[b], Outcome::weights),
          mean(synflow[b], Outcome::macs), chain.macs()));
      report.measure("precrop." + label + ".val_accuracy", Arrays.stream(crop[b]).mapToDouble(Outcome::accuracy).toArray());
      report.measure("synflow." + label + ".val_accuracy",
          Arrays.stream(synflow[b]).mapToDouble(Outcome::accuracy).toArray());
      report.measure("precrop." + label + ".macs", mean(crop[b], Outcome::macs));
    }
    report.add(new Table("validation accuracy (mean over seeds) and cost", List.of("method", "budget", "widths",
        "accuracy", "nonzero weights", "MACs (nonzero)", "MACs executed (dense kernels)"), rows));
    report.add(densityTable(chain, budgets, widths));
    report.add(new Figure("accuracy vs budget", Plots.lines("validation accuracy vs fraction of weights kept",
        Plots.Axes.linear("fraction of weights kept", "validation accuracy"), List.of(new Plots.Series("PreCrop", x, yCrop),
            new Plots.Series("SynFlow (weight-level)", x, ySyn), new Plots.Series("dense (unpruned)", x, yDense)))));
    report.verdict(new Verdict(ok, String.format(Locale.ROOT, "%smean validation accuracy at budget %s (need PreCrop ≥"
        + " SynFlow − %.1f point at every budget); dense %.4f.", ok || passed == 0 ? "" : "PARTLY (holds at " + passed
        + " of " + budgets.length + " budgets) — ", deciding, 100 * SLACK, mean(dense, Outcome::accuracy))));
    report.note("SynFlow's mask leaves the executed work unchanged here (dense kernels multiply the zeros); its"
        + " 'MACs (nonzero)' column is what an ideal sparse kernel would execute. PreCrop's savings are real: its net is"
        + " smaller. Wall time per step is not reported: the runs shared two cores with other jobs, which swamped the"
        + " difference.");
    report.note("Where PreCrop loses, compare the target and realised densities: a chain of widths cannot realise"
        + " arbitrary layer densities (layer l's density is k_{l−1}·k_l), and at small budgets the fit leaves a"
        + " bottleneck of a few channels, which random weight-level masks of the same size never create.");
    report.note("PreCrop's density program and channel map are reconstructions (no code is public): the program is"
        + " the sum-of-log-densities objective of the abstract, without the SynExp constants; see init.PreCrop.");
    return report;
  }
}
