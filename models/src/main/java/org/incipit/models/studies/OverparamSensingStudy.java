package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.incipit.init.matrix.OverparamSensing;
import org.incipit.init.matrix.Sensing;
import org.incipit.models.report.Citation;
import org.incipit.models.report.Figure;
import org.incipit.models.report.Plots;
import org.incipit.models.report.Progress;
import org.incipit.models.report.Report;
import org.incipit.models.report.Table;
import org.incipit.models.report.Verdict;
import org.incipit.tensor.Rng;

/**
 * Over-parameterization slows GD in matrix sensing; asymmetry and one modified step undo it
 * (scheme: {@link OverparamSensing}). Error-vs-iteration curves of symmetric GD (k = r and k &gt; r),
 * asymmetric GD with k &gt; r from the imbalanced small init at two scales α, and the same runs with
 * the one-step rebalance at T₁. {@code full}: the spec's reference setup (n = 20, r = 2, k = 4,
 * m = 800 Gaussian measurements, η = 0.2, σ = (1, 0.5), T = 6000, T₁ = 800, c = 0.5), 2 seeds (measured:
 * 43 s of CPU, 3 min 9 s inside the study under a load of ~25 on the shared 2-core machine).
 */
public final class OverparamSensingStudy implements Study {
  /** Symmetric k = r reaches below this at T. */
  static final double EXACT_FLOOR = 1e-10;
  /** Symmetric k &gt; r is still above this at T (sublinear). */
  static final double SLOW_ABOVE = 1e-6;
  /** With the modified step, both α end below this at T. */
  static final double FIX_FLOOR = 1e-12;
  /** Post-step log-error rates of the two α agree within this relative tolerance. */
  static final double RATE_TOLERANCE = 0.2;
  /** Plain asymmetric GD: the rate at the larger α exceeds the smaller α's by at least this factor. */
  static final double ALPHA_RATE_RATIO = 2;
  static final double[] ALPHAS = {0.1, 0.01};

  @Override
  public String name() {
    return "overparam-sensing";
  }

  @Override
  public String title() {
    return "Over-parameterization slows GD in matrix sensing; asymmetry and one modified step restore linear rates";
  }

  @Override
  public Citation paper() {
    return new Citation("N. Xiong, L. Ding, S. S. Du", 2024, "How Over-Parameterization Slows Down Gradient Descent"
        + " in Matrix Sensing: The Curses of Symmetry and Initialization", "2310.01769");
  }

  @Override
  public String claim() {
    return "Symmetric GD (XXᵀ) converges linearly when k = r (error < 1e-10 at T) but sublinearly when k > r (error"
        + " > 1e-6 at T); asymmetric GD (FGᵀ) with k > r converges linearly at a rate that grows with the init scale α;"
        + " one product-preserving modified step at T₁ makes the later rate α-independent (within 20%) and brings both"
        + " α below 1e-12 by T.";
  }

  private record Setup(int n, int r, int k, int m, double eta, int steps, int switchAt, double c, int seeds) {}

  @Override
  public Report run(StudyContext ctx) {
    Setup s = ctx.full() ? new Setup(20, 2, 4, 800, 0.2, 6000, 800, 0.5, 2) : new Setup(8, 2, 3, 200, 0.2, 600, 150, 0.5, 1);
    Report report = newReport(ctx);
    report.setup("n (M* is n×n PSD)", s.n());
    report.setup("rank r, σ", s.r() + ", (1, 0.5)");
    report.setup("over-parameterized k", s.k());
    report.setup("measurements m (Gaussian Aᵢ, 𝒜* with 1/m)", s.m());
    report.setup("η", s.eta());
    report.setup("steps T", s.steps());
    report.setup("modified step at T₁, floor c", s.switchAt() + ", " + s.c());
    report.setup("init", "F₀ = α·N/√n, G₀ = (α/3)·N/√n, X₀ = α·N/√n; α ∈ " + Arrays.toString(ALPHAS) + " (symmetric: 0.1)");
    report.setup("seeds", s.seeds());
    List<Map<String, double[]>> runs = new ArrayList<>();
    try (Progress progress = ctx.progress(name(), (long) s.seeds() * (2 + 2 * ALPHAS.length))) {
      long done = 0;
      for (int seed = 0; seed < s.seeds(); seed++) {
        Rng rng = ctx.rng().fork("seed").fork(seed);
        double[] sigma = {1, 0.5};
        double[] mStar = Sensing.psdGroundTruth(s.n(), Arrays.copyOf(sigma, s.r()), rng.fork("mstar"));
        Sensing a = Sensing.gaussian(s.m(), s.n(), s.n(), rng.fork("sensing"));
        double[] y = a.apply(mStar);
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (int k : new int[] {s.r(), s.k()}) {
          double[] x0 = OverparamSensing.symmetricInit(s.n(), k, 0.1, rng.fork("x0").fork(k));
          curves.put("symmetric k=" + k, OverparamSensing.runSymmetric(a, y, mStar, x0, k, s.eta(), s.steps()));
          progress.step(++done, "seed " + seed + ", symmetric k = " + k);
        }
        for (double alpha : ALPHAS) {
          var x0 = OverparamSensing.asymmetricInit(s.n(), s.n(), s.k(), alpha, rng.fork("fg0").fork(String.valueOf(alpha)));
          curves.put("asymmetric α=" + alpha, OverparamSensing.runAsymmetric(a, y, mStar, x0, s.eta(), s.steps(), -1, s.c()));
          progress.step(++done, "seed " + seed + ", asymmetric α = " + alpha);
          curves.put("asymmetric + step α=" + alpha,
              OverparamSensing.runAsymmetric(a, y, mStar, x0, s.eta(), s.steps(), s.switchAt(), s.c()));
          progress.step(++done, "seed " + seed + ", asymmetric + modified step, α = " + alpha);
        }
        runs.add(curves);
      }
    }
    return conclude(report, s, runs);
  }

  private Report conclude(Report report, Setup s, List<Map<String, double[]>> runs) {
    List<Plots.Series> series = new ArrayList<>();
    runs.get(0).forEach((name, err) -> series.add(Plots.Series.of(name, err)));
    report.add(new Figure("‖M_t − M*‖_F against the iteration (seed 0)",
        Plots.lines("Error against iteration", Plots.Axes.logY("iteration", "‖M_t − M*‖_F"), series)));
    List<List<Object>> rows = new ArrayList<>();
    int t = s.steps();
    for (String name : runs.get(0).keySet()) {
      for (int seed = 0; seed < runs.size(); seed++) {
        double[] e = runs.get(seed).get(name);
        rows.add(List.of(name, seed, e[s.switchAt()], e[t / 2], e[t], lateRate(e, t / 2, t)));
      }
    }
    report.add(new Table("Error ‖M_t − M*‖_F and the late log10-rate (decades per 1000 steps over [T/2, T], or"
        + " until 1e-13)", List.of("run", "seed", "t = T₁", "t = T/2", "t = T", "late rate"), rows));
    return verdict(report, s, runs);
  }

  private Report verdict(Report report, Setup s, List<Map<String, double[]>> runs) {
    int t = s.steps();
    double exactMax = 0;
    double slowMin = Double.POSITIVE_INFINITY;
    double fixMax = 0;
    double ratioMin = Double.POSITIVE_INFINITY;
    double rateSpread = 0;
    for (Map<String, double[]> c : runs) {
      exactMax = Math.max(exactMax, last(c.get("symmetric k=" + s.r())));
      slowMin = Math.min(slowMin, last(c.get("symmetric k=" + s.k())));
      double[] fixRates = new double[ALPHAS.length];
      for (int i = 0; i < ALPHAS.length; i++) {
        double[] fix = c.get("asymmetric + step α=" + ALPHAS[i]);
        fixMax = Math.max(fixMax, last(fix));
        fixRates[i] = lateRate(fix, s.switchAt() + 50, t);
      }
      rateSpread = Math.max(rateSpread, Math.abs(fixRates[0] - fixRates[1]) / Math.max(fixRates[0], fixRates[1]));
      double ratio = lateRate(c.get("asymmetric α=" + ALPHAS[0]), t / 2, t) / lateRate(c.get("asymmetric α=" + ALPHAS[1]), t / 2, t);
      ratioMin = Math.min(ratioMin, ratio);
    }
    report.measure("symmetric_exact.max_final_error", exactMax);
    report.measure("symmetric_overparam.min_final_error", slowMin);
    report.measure("fix.max_final_error", fixMax);
    report.measure("fix.post_step_rate_relative_spread", rateSpread);
    report.measure("asymmetric.rate_ratio_alpha0.1_over_alpha0.01", ratioMin);
    report.note(String.format(Locale.ROOT, "The plain asymmetric late rate is %s× faster at α = 0.1 than at α = 0.01"
        + " (worst seed); the bound exp(−Ω(α²T)) would allow up to (0.1/0.01)² = 100×. The bound is an upper bound"
        + " on the error and the paper shows α² is needed only in the worst case, so a smaller ratio does not"
        + " contradict it; the study tests only that the rate grows with α.", Table.format(ratioMin)));
    report.note("The modified step is an inference (eq. (5.1) of the paper could not be read): lift G's singular"
        + " values to ≥ c and shrink F's matching directions, FGᵀ unchanged. See OverparamSensing's Javadoc.");
    List<String> failed = new ArrayList<>();
    check(failed, exactMax < EXACT_FLOOR, "symmetric k = r");
    check(failed, slowMin > SLOW_ABOVE, "symmetric k > r slow");
    check(failed, ratioMin >= ALPHA_RATE_RATIO, "asymmetric rate grows with α");
    check(failed, fixMax < FIX_FLOOR, "modified step reaches 1e-12");
    check(failed, rateSpread <= RATE_TOLERANCE, "post-step rate α-independent");
    String numbers = String.format(Locale.ROOT, "symmetric k=r ends at %s (needed < %s), k>r at ≥ %s (needed > %s);"
        + " asymmetric rate ratio α 0.1/0.01 = %s (needed ≥ %s); with the modified step both α end ≤ %s (needed < %s)"
        + " and their post-step rates differ by %s (allowed %s); %d seed(s).", Table.format(exactMax),
        Table.format(EXACT_FLOOR), Table.format(slowMin), Table.format(SLOW_ABOVE), Table.format(ratioMin),
        Table.format(ALPHA_RATE_RATIO), Table.format(fixMax), Table.format(FIX_FLOOR), Table.format(rateSpread),
        Table.format(RATE_TOLERANCE), runs.size());
    boolean ok = failed.isEmpty();
    report.verdict(new Verdict(ok, (ok ? "" : failed.size() < 5 ? "PARTLY — failed: " + String.join(", ", failed) + ". "
        : "") + numbers));
    return report;
  }

  private static void check(List<String> failed, boolean ok, String part) {
    if (!ok) {
      failed.add(part);
    }
  }

  /** Decades of error lost per 1000 steps between {@code from} and {@code to} (or the first t with error < 1e-13). */
  static double lateRate(double[] err, int from, int to) {
    int end = to;
    for (int t = from; t <= to; t++) {
      if (err[t] < 1e-13) {
        end = t;
        break;
      }
    }
    if (end <= from) {
      return Double.NaN;
    }
    return 1000 * (Math.log10(err[from]) - Math.log10(err[end])) / (end - from);
  }

  private static double last(double[] e) {
    return e[e.length - 1];
  }
}
