package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Policy initialization from the o1 roadmap (Zeng et al. 2024, "Scaling of Search and Learning: A
 * Roadmap to Reproduce o1 from Reinforcement Learning Perspective", arXiv:2412.14135): pre-train with
 * next-token loss, then behaviour-clone demonstrations (SFT), and start policy-gradient RL from that
 * checkpoint, which shrinks the action space RL must search. The roadmap gives no formula; the
 * operational recipe is {@link PolicyRuns#supervised} twice, then {@link PolicyRuns#reinforce}:
 *
 * <pre>
 *   pre-train:  θ₁ = argmin −Σₜ log π_θ(xₜ | x₍<ₜ₎)                  (unconditional corpus, from θ₀ random)
 *   BC / SFT:   θ₂ = argmin −Σₜ log π_θ(aₜ | prompt, a₍<ₜ₎)          (demonstrations, from θ₁)
 *   RL:         ∇J = E[(R − R̄)·∇ Σₜ log π_θ(aₜ | sₜ)]                (REINFORCE from θ₂, R̄ = batch mean)
 * </pre>
 * Choices where the roadmap is silent (it names the stages, not their sizes): AdamW lr 3e-3 for all
 * three stages, the batch-mean baseline, no KL penalty (the task reward is verifiable), and a
 * demonstration set of 24 of the 216 prompts so that cloning alone cannot solve the task. The roadmap's
 * third stage (eliciting reasoning behaviours) has no analogue in a three-token task and is not built.
 * Held by {@code TokenPolicyTest} (the policy's probabilities, sampling and loss) and
 * {@code StudiesSmokeTest}.
 *
 * <p>Environment (seeded, written here): the prompt is three digits (0–5) and the correct response
 * is the same digits reversed, then EOS; the reward is the fraction of the four positions (three
 * digits and the EOS) that are right, so a random policy earns about 1/7. Pre-training sees
 * unconditional well-formed sequences (three random digits, EOS) — format knowledge, not the task;
 * behaviour cloning sees the correct responses to 24 of the 216 prompts. RL starts from random init,
 * pre-training only, behaviour cloning only, and pre-training + behaviour cloning (the roadmap).
 */
public final class PolicyInitStudy implements Study {
  /** The roadmap start must lead random init by this much mean reward over the first 10 RL steps. */
  static final double EARLY_GAIN = 0.2;
  /** Sample efficiency: RL steps until the 5-step mean reward first reaches this. */
  static final double TARGET = 0.8;
  /** …and the roadmap start must get there in at most this fraction of random init's steps (or random never does). */
  static final double SPEEDUP = 0.5;
  static final int DIGITS = 6;
  static final int DEMOS = 24;

  @Override
  public String name() {
    return "policy-init";
  }

  @Override
  public String title() {
    return "Policy initialization (o1 roadmap): pre-train, then behaviour-clone, then RL";
  }

  @Override
  public Citation paper() {
    return new Citation("Z. Zeng, Q. Cheng, Z. Yin, B. Wang, S. Li, Y. Zhou, Q. Guo, X. Huang, X. Qiu", 2024,
        "Scaling of Search and Learning: A Roadmap to Reproduce o1 from Reinforcement Learning Perspective",
        "2412.14135");
  }

  @Override
  public String claim() {
    return "A policy initialized by pre-training and then behaviour cloning starts RL with a higher reward and needs"
        + " fewer episodes to reach a target reward than a randomly initialized policy (toy: reverse three digits,"
        + " REINFORCE).";
  }

  static final PolicyRuns.Task TASK = new PolicyRuns.Task() {
    @Override
    public int prompts() {
      return DIGITS * DIGITS * DIGITS;
    }

    @Override
    public double[] features(int prompt) {
      double[] f = new double[3 * DIGITS];
      int[] d = digits(prompt);
      for (int i = 0; i < 3; i++) {
        f[i * DIGITS + d[i]] = 1;
      }
      return f;
    }

    @Override
    public double reward(int prompt, int[] r) {
      int[] want = target(prompt);
      int right = 0;
      for (int i = 0; i < want.length; i++) {
        right += i < r.length && r[i] == want[i] ? 1 : 0;
      }
      return right / (double) want.length;
    }
  };

  static int[] digits(int prompt) {
    return new int[] {prompt / (DIGITS * DIGITS), (prompt / DIGITS) % DIGITS, prompt % DIGITS};
  }

  /** The reversed digits, then EOS. */
  static int[] target(int prompt) {
    int[] d = digits(prompt);
    return new int[] {d[2], d[1], d[0], DIGITS};
  }

  private record Outcome(double[] reward, double early, int reach, double fin) {}

  @Override
  public Report run(StudyContext ctx) {
    boolean full = ctx.full();
    Report report = newReport(ctx);
    TokenPolicy.Config cfg = new TokenPolicy.Config(3 * DIGITS, DIGITS + 1, 6, full ? 64 : 24);
    int preSteps = full ? 200 : 20;
    int bcSteps = full ? 200 : 20;
    int rlSteps = full ? 400 : 12;
    int batch = full ? 32 : 16;
    int seeds = full ? 3 : 1;
    report.setup("policy", "MLP token policy, 2 hidden layers of " + cfg.hidden() + " (tanh), vocab 6 digits + EOS");
    report.setup("policy initialization", "pre-train " + preSteps + " steps on unconditional 3-digit sequences;"
        + " behaviour cloning " + bcSteps + " steps on " + DEMOS + " demonstrations; AdamW lr 3e-3, batch 32");
    report.setup("RL", "REINFORCE, batch-mean baseline, no KL penalty, AdamW lr 3e-3, batch " + batch + ", " + rlSteps
        + " steps, " + seeds + " seed(s)");
    Map<String, List<Outcome>> runs = new LinkedHashMap<>();
    List<String> starts = List.of("random init", "pre-train only", "behaviour cloning only", "pre-train + BC");
    try (Progress p = ctx.progress(name() + " RL runs", (long) seeds * starts.size())) {
      for (int s = 0; s < seeds; s++) {
        Rng rng = ctx.rng().fork("seed").fork(s);
        for (String start : starts) {
          TokenPolicy pi = new TokenPolicy(cfg, rng.fork("init"));
          if (start.startsWith("pre-train")) {
            pretrain(pi, preSteps, rng.fork("pretrain"));
          }
          if (start.contains("BC") || start.startsWith("behaviour")) {
            clone(pi, bcSteps, rng.fork("bc"));
          }
          ctx.initialized("the policy RL starts from: " + start, pi); // after its pre-training / cloning stages
          PolicyRuns.Trace t = PolicyRuns.reinforce(pi, TASK, rlSteps, batch, 3e-3, 0, rng.fork("rl"));
          runs.computeIfAbsent(start, k -> new ArrayList<>()).add(outcome(t.reward()));
          p.step(runs.values().stream().mapToLong(List::size).sum(), start);
        }
      }
    }
    return conclude(report, runs, rlSteps, batch);
  }

  private static void pretrain(TokenPolicy pi, int steps, Rng rng) {
    int n = DIGITS * DIGITS * DIGITS;
    double[][] none = new double[n][3 * DIGITS];
    int[][] seqs = new int[n][];
    for (int p = 0; p < n; p++) {
      int[] d = digits(p);
      seqs[p] = new int[] {d[0], d[1], d[2], DIGITS};
    }
    PolicyRuns.supervised(pi, none, seqs, steps, 32, 3e-3, rng);
  }

  private static void clone(TokenPolicy pi, int steps, Rng rng) {
    int[] order = rng.fork("demos").permutation(TASK.prompts());
    double[][] prompts = new double[DEMOS][];
    int[][] demos = new int[DEMOS][];
    for (int i = 0; i < DEMOS; i++) {
      prompts[i] = TASK.features(order[i]);
      demos[i] = target(order[i]);
    }
    PolicyRuns.supervised(pi, prompts, demos, steps, 32, 3e-3, rng.fork("sft"));
  }

  private static Outcome outcome(double[] r) {
    int w = Math.min(5, r.length);
    int reach = -1;
    for (int i = 0; i + w <= r.length && reach < 0; i++) {
      double m = 0;
      for (int j = i; j < i + w; j++) {
        m += r[j] / w;
      }
      reach = m >= TARGET ? i + w : -1;
    }
    return new Outcome(r, mean(r, 0, Math.min(10, r.length)), reach, mean(r, r.length - Math.min(10, r.length), r.length));
  }

  private static double mean(double[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += x[i];
    }
    return s / (to - from);
  }

  /** Median steps to the target over seeds, with runs that never reach it counted as +∞. */
  private static double medianReach(List<Outcome> os) {
    double[] v = os.stream().mapToDouble(o -> o.reach() < 0 ? Double.POSITIVE_INFINITY : o.reach()).sorted().toArray();
    return v[v.length / 2];
  }

  private Report conclude(Report report, Map<String, List<Outcome>> runs, int steps, int batch) {
    List<List<Object>> rows = new ArrayList<>();
    List<Plots.Series> curves = new ArrayList<>();
    for (Map.Entry<String, List<Outcome>> e : runs.entrySet()) {
      List<Outcome> os = e.getValue();
      double early = os.stream().mapToDouble(Outcome::early).average().orElseThrow();
      double fin = os.stream().mapToDouble(Outcome::fin).average().orElseThrow();
      double reach = medianReach(os);
      rows.add(List.of(e.getKey(), early, Double.isInfinite(reach) ? "not within " + steps : (int) reach,
          Double.isInfinite(reach) ? "—" : (int) reach * batch, fin));
      double[] mean = new double[steps];
      for (Outcome o : os) {
        for (int i = 0; i < steps; i++) {
          mean[i] += o.reward()[i] / os.size();
        }
      }
      curves.add(Plots.Series.of(e.getKey(), mean));
      report.measure(e.getKey() + ".early_reward", early);
      report.measure(e.getKey() + ".final_reward", fin);
      report.measure(e.getKey() + ".reward", mean);
    }
    report.add(new Table("RL from each start (means over seeds; steps: median over seeds)", List.of("start",
        "mean reward, first 10 steps", "steps to 5-step mean ≥ " + TARGET, "episodes", "mean reward, last 10 steps"),
        rows));
    report.add(new Figure("reward during RL", Plots.lines("task reward (mean over seeds)",
        Plots.Axes.linear("RL step", "fraction of positions right"), curves)));
    List<Outcome> roadmap = runs.get("pre-train + BC");
    List<Outcome> random = runs.get("random init");
    double gain = roadmap.stream().mapToDouble(Outcome::early).average().orElseThrow()
        - random.stream().mapToDouble(Outcome::early).average().orElseThrow();
    double a = medianReach(roadmap);
    double b = medianReach(random);
    boolean early = gain >= EARLY_GAIN;
    boolean efficient = !Double.isInfinite(a) && (Double.isInfinite(b) || a <= SPEEDUP * b);
    report.verdict(new Verdict(early && efficient, String.format(Locale.ROOT, "early reward (first 10 steps):"
            + " pre-train + BC leads random init by %+.3f (needs ≥ %.2f); steps to a 5-step mean reward ≥ %.1f: %s vs"
            + " random init %s (needs ≤ %.1f× or random never).%s", gain, EARLY_GAIN, TARGET, fmt(a, steps),
        fmt(b, steps), SPEEDUP, early && efficient ? "" : " Parts: early reward " + (early ? "held" : "FAILED")
            + ", sample efficiency " + (efficient ? "held" : "FAILED") + ".")));
    List<Outcome> bc = runs.get("behaviour cloning only");
    report.note(String.format(Locale.ROOT, "Which stage does the work: behaviour cloning alone starts at %.3f and reaches"
            + " the target in %s steps; adding pre-training first gives %.3f and %s. Only the pre-train + BC start is"
            + " judged; the ablation says whether the pre-training stage adds anything at this scale.",
        bc.stream().mapToDouble(Outcome::early).average().orElseThrow(), fmt(medianReach(bc), steps),
        roadmap.stream().mapToDouble(Outcome::early).average().orElseThrow(), fmt(a, steps)));
    return report;
  }

  private static String fmt(double steps, int budget) {
    return Double.isInfinite(steps) ? "not within " + budget : String.valueOf((int) steps);
  }
}
