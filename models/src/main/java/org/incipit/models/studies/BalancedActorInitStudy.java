package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.init.BalancedActorInit;
import org.incipit.models.nets.TokenPolicy;
import org.incipit.models.report.Citation;
import org.incipit.models.report.Figure;
import org.incipit.models.report.Plots;
import org.incipit.models.report.Progress;
import org.incipit.models.report.Report;
import org.incipit.models.report.Table;
import org.incipit.models.report.Verdict;
import org.incipit.tensor.Rng;

/**
 * Balanced Actor Initialization ({@link BalancedActorInit}, Zheng et al. 2025, arXiv:2509.00309) on a
 * toy RLHF pipeline. A {@link TokenPolicy} is pretrained on counting sequences (θ_pre), then
 * fine-tuned two ways from θ_pre: θ_IF answers each of four prompts directly ("a, EOS") and θ_RD
 * first writes a five-token counting trace that ends at the answer ("k, k+1, …, k+4, a, EOS"; the
 * distilled reasoning). RL is REINFORCE with a KL penalty to the start and a task reward of
 * correctness minus a per-token cost, so the long traces of θ_RD are expensive: the situation in
 * which the paper sees Sequence Length Collapse and the Reward Hockey Stick. Every start — θ_RD,
 * θ_IF, θ_pre and BAI over α, β ∈ {¼, ½, ¾} (the paper's ratios are unverified, so they are swept) —
 * gets the same RL run.
 */
public final class BalancedActorInitStudy implements Study {
  /** A hockey stick: the 5-step moving average of the reward falls this far below its start. */
  static final double DIP_MIN = 0.05;
  /** BAI must end within this of θ_RD's final reward (the paper: stability without losing reward). */
  static final double FINAL_SLACK = 0.02;
  static final int PROMPTS = 4;
  static final int DIGITS = 6;
  static final double TOKEN_COST = 0.04;
  static final double[] RATIOS = {0.25, 0.5, 0.75};

  @Override
  public String name() {
    return "balanced-actor-init";
  }

  @Override
  public String title() {
    return "Balanced Actor Initialization: a merged actor for RL after reasoning distillation";
  }

  @Override
  public Citation paper() {
    return new Citation("C. Zheng, Y. Ma, Y. Yang, D. Liu, J. Liu et al. (ByteDance Seed)", 2025,
        "Balanced Actor Initialization: Stable RLHF Training of Distillation-Based Reasoning Models", "2509.00309");
  }

  @Override
  public String claim() {
    return "RL started from the reasoning-distilled model shows a reward dip (Reward Hockey Stick) and early length"
        + " collapse; starting from the balanced merge θ_BAI (α = β = ½) dips less and ends with at least the same"
        + " reward. Toy scale: 4 prompts, a 2-layer MLP token policy, REINFORCE with a KL penalty.";
  }

  /** The correct answer to prompt k, reachable by counting five steps from k. */
  static int answer(int k) {
    return (k + 5) % DIGITS;
  }

  /** Correctness (the token before EOS is the answer) minus TOKEN_COST per token before EOS. */
  static final PolicyRuns.Task TASK = new PolicyRuns.Task() {
    @Override
    public int prompts() {
      return PROMPTS;
    }

    @Override
    public double[] features(int prompt) {
      double[] f = new double[PROMPTS];
      f[prompt] = 1;
      return f;
    }

    @Override
    public double reward(int prompt, int[] r) {
      int eos = DIGITS;
      int len = PolicyRuns.length(r, eos);
      boolean correct = len >= 1 && len < r.length && r[len - 1] == answer(prompt);
      return (correct ? 1 : 0) - TOKEN_COST * len;
    }
  };

  private record Start(String label, Map<String, Tensor> state) {}

  private record Outcome(String label, PolicyRuns.Trace trace, double start, double dip, double fin, double len0,
                         double lenMin) {}

  @Override
  public Report run(StudyContext ctx) {
    boolean full = ctx.full();
    Report report = newReport(ctx);
    TokenPolicy.Config cfg = new TokenPolicy.Config(PROMPTS, DIGITS + 1, 8, full ? 64 : 24);
    int preSteps = full ? 400 : 40;
    int sftSteps = full ? 300 : 30;
    int rlSteps = full ? 100 : 12;
    int batch = full ? 64 : 16;
    int seeds = full ? 3 : 1;
    double rlLr = 3e-3;
    double kl = 0.02;
    report.setup("policy", "MLP token policy, 2 hidden layers of " + cfg.hidden() + " (tanh), vocab 6 digits + EOS,"
        + " responses ≤ 8 tokens");
    report.setup("pipeline", "pretrain " + preSteps + " steps on counting sequences; SFT " + sftSteps
        + " steps each for θ_IF (a, EOS) and θ_RD (5-token counting trace, a, EOS); AdamW lr 3e-3, batch 32");
    report.setup("RL", "REINFORCE, batch-mean baseline, KL coefficient " + kl + " to the start, AdamW lr " + rlLr
        + ", batch " + batch + ", " + rlSteps + " steps; reward = correct − " + TOKEN_COST + "·length; "
        + seeds + " RL seed(s) for θ_RD and θ_BAI(½,½), 1 for the rest of the sweep");
    List<Start> starts = starts(ctx.rng().fork("models"), cfg, preSteps, sftSteps);
    Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
    try (Progress p = ctx.progress(name() + " RL runs", starts.size() + 2L * (seeds - 1))) {
      for (Start s : starts) {
        boolean key = s.label().equals("θ_RD") || s.label().equals(baiLabel(0.5, 0.5));
        for (int seed = 0; seed < (key ? seeds : 1); seed++) {
          TokenPolicy pi = PolicyRuns.withState(cfg, s.state(), ctx.rng().fork("copy"));
          ctx.initialized("the actor RL starts from: " + s.label(), pi);
          PolicyRuns.Trace t = PolicyRuns.reinforce(pi, TASK, rlSteps, batch, rlLr, kl, ctx.rng().fork("rl").fork(seed));
          outcomes.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(outcome(s.label(), t));
          p.step(outcomes.values().stream().mapToLong(List::size).sum(), s.label());
        }
      }
    }
    return conclude(report, outcomes);
  }

  private static String baiLabel(double a, double b) {
    return String.format(Locale.ROOT, "BAI α=%.2f β=%.2f", a, b);
  }

  /** θ_pre, θ_IF, θ_RD and the BAI merges over the α, β grid. */
  private static List<Start> starts(Rng rng, TokenPolicy.Config cfg, int preSteps, int sftSteps) {
    TokenPolicy base = new TokenPolicy(cfg, rng.fork("init"));
    List<int[]> counting = new ArrayList<>();
    for (int s = 0; s < DIGITS; s++) {
      for (int n = 1; n < cfg.maxLen(); n++) {
        int[] seq = new int[n + 1];
        for (int i = 0; i < n; i++) {
          seq[i] = (s + i) % DIGITS;
        }
        seq[n] = DIGITS;
        counting.add(seq);
      }
    }
    double[][] none = new double[counting.size()][PROMPTS];
    PolicyRuns.supervised(base, none, counting.toArray(new int[0][]), preSteps, 32, 3e-3, rng.fork("pretrain"));
    Map<String, Tensor> pre = base.stateDict();
    double[][] prompts = new double[PROMPTS][];
    int[][] direct = new int[PROMPTS][];
    int[][] traced = new int[PROMPTS][];
    for (int k = 0; k < PROMPTS; k++) {
      prompts[k] = TASK.features(k);
      direct[k] = new int[] {answer(k), DIGITS};
      traced[k] = new int[] {k, (k + 1) % DIGITS, (k + 2) % DIGITS, (k + 3) % DIGITS, (k + 4) % DIGITS, answer(k), DIGITS};
    }
    TokenPolicy inst = PolicyRuns.withState(cfg, pre, rng.fork("if"));
    PolicyRuns.supervised(inst, prompts, direct, sftSteps, 32, 3e-3, rng.fork("sft-if"));
    TokenPolicy reason = PolicyRuns.withState(cfg, pre, rng.fork("rd"));
    PolicyRuns.supervised(reason, prompts, traced, sftSteps, 32, 3e-3, rng.fork("sft-rd"));
    List<Start> out = new ArrayList<>(List.of(new Start("θ_RD", reason.stateDict()),
        new Start("θ_IF", inst.stateDict()), new Start("θ_pre", pre)));
    for (double a : RATIOS) {
      for (double b : RATIOS) {
        out.add(new Start(baiLabel(a, b), BalancedActorInit.merge(inst.stateDict(), reason.stateDict(), pre, a, b)));
      }
    }
    return out;
  }

  private static double mean(double[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += x[i];
    }
    return s / (to - from);
  }

  private static Outcome outcome(String label, PolicyRuns.Trace t) {
    double[] r = t.reward();
    int n = r.length;
    int w = Math.min(5, n);
    double start = mean(r, 0, w);
    double low = start;
    for (int i = 0; i + w <= n; i++) {
      low = Math.min(low, mean(r, i, i + w));
    }
    double lenMin = Double.POSITIVE_INFINITY;
    for (int i = 0; i + w <= Math.max(w, n * 3 / 10); i++) {
      lenMin = Math.min(lenMin, mean(t.length(), i, i + w));
    }
    return new Outcome(label, t, start, start - low, mean(r, n - Math.min(10, n), n), mean(t.length(), 0, w), lenMin);
  }

  private static double avg(List<Outcome> os, java.util.function.ToDoubleFunction<Outcome> f) {
    return os.stream().mapToDouble(f).average().orElseThrow();
  }

  private Report conclude(Report report, Map<String, List<Outcome>> outcomes) {
    List<List<Object>> rows = new ArrayList<>();
    List<Plots.Series> rewards = new ArrayList<>();
    List<Plots.Series> lengths = new ArrayList<>();
    for (Map.Entry<String, List<Outcome>> e : outcomes.entrySet()) {
      List<Outcome> os = e.getValue();
      String k = e.getKey();
      rows.add(List.of(k, os.size(), avg(os, Outcome::start), avg(os, Outcome::dip), avg(os, Outcome::fin),
          avg(os, Outcome::len0), avg(os, Outcome::lenMin), avg(os, o -> mean(o.trace().spread(), 0,
              o.trace().spread().length))));
      report.measure(k + ".reward_dip", avg(os, Outcome::dip));
      report.measure(k + ".final_reward", avg(os, Outcome::fin));
      report.measure(k + ".reward", os.get(0).trace().reward());
      if (k.startsWith("θ") || k.equals(baiLabel(0.5, 0.5))) {
        rewards.add(Plots.Series.of(k, os.get(0).trace().reward()));
        lengths.add(Plots.Series.of(k, os.get(0).trace().length()));
      }
    }
    report.add(new Table("RL from each start (means over RL seeds)", List.of("start", "seeds", "start reward",
        "reward dip (5-step avg)", "final reward (last 10)", "start length", "min length, first 30%",
        "batch reward std (RL signal)"), rows));
    report.add(new Figure("task reward during RL", Plots.lines("task reward (seed 0)",
        Plots.Axes.linear("RL step", "correct − cost·length"), rewards)));
    report.add(new Figure("response length during RL", Plots.lines("response length (seed 0)",
        Plots.Axes.linear("RL step", "tokens before EOS"), lengths)));
    List<Outcome> rd = outcomes.get("θ_RD");
    List<Outcome> bai = outcomes.get(baiLabel(0.5, 0.5));
    double dipRd = avg(rd, Outcome::dip);
    double dipBai = avg(bai, Outcome::dip);
    double finRd = avg(rd, Outcome::fin);
    double finBai = avg(bai, Outcome::fin);
    boolean stick = dipRd >= DIP_MIN;
    boolean smoother = dipBai < dipRd;
    boolean keeps = finBai >= finRd - FINAL_SLACK;
    String part = stick && smoother && keeps ? "" : String.format(Locale.ROOT,
        " Parts: hockey stick from θ_RD %s, BAI smoother %s, BAI final reward kept %s.",
        stick ? "held" : "FAILED", smoother ? "held" : "FAILED", keeps ? "held" : "FAILED");
    report.verdict(new Verdict(stick && smoother && keeps, String.format(Locale.ROOT,
        "reward dip (start − lowest 5-step mean): θ_RD %.3f (phenomenon needs ≥ %.2f) vs θ_BAI(½,½) %.3f; final reward"
            + " θ_RD %.3f vs θ_BAI %.3f (BAI must be ≥ θ_RD − %.2f); start length θ_RD %.2f → min %.2f, θ_BAI %.2f →"
            + " min %.2f.%s", dipRd, DIP_MIN, dipBai, finRd, finBai, FINAL_SLACK, avg(rd, Outcome::len0),
        avg(rd, Outcome::lenMin), avg(bai, Outcome::len0), avg(bai, Outcome::lenMin), part)));
    report.note("Batch reward std is REINFORCE's signal: near 0, every sampled response scored the same and the"
        + " batch-mean baseline leaves no gradient, so a start that never moves can show neither a length collapse"
        + " nor a reward dip.");
    report.note("The merge equations and the paper's α, β are unverified (only the abstract was readable): the grid"
        + " α, β ∈ {¼, ½, ¾} is the sweep the abstract's 'balanced merging ratios' calls for, not the paper's values.");
    return report;
  }
}
