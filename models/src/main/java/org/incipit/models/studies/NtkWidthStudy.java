package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.models.report.Citation;
import org.incipit.models.report.Figure;
import org.incipit.models.report.Plots;
import org.incipit.models.report.Progress;
import org.incipit.models.report.Report;
import org.incipit.models.report.Table;
import org.incipit.models.report.Verdict;
import org.incipit.nn.ntk.EmpiricalNtk;
import org.incipit.nn.ntk.NtkLinear;
import org.incipit.nn.ntk.NtkMlp;
import org.incipit.nn.ntk.ReluNtk;
import org.incipit.optim.Sgd;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * The NTK at finite width (Jacot, Gabriel, Hongler 2018, arXiv:1806.07572): a one-hidden-layer
 * ReLU network in the NTK parameterization (β = 0.1), inputs on the unit circle. At
 * initialization the empirical kernel Θ̂ scatters around the analytic limit Θ with a seed-to-seed
 * std that should fall as 1/√n; during full-batch gradient descent (learning rate 1.0, the
 * paper's) on four circle points, the relative change ‖Θ̂_T − Θ̂_0‖_F/‖Θ̂_0‖_F should fall with width
 * too, roughly as 1/√n (the "lazy" regime that makes training a kernel regression).
 */
public final class NtkWidthStudy implements Study {
  /** The fitted slope of log(std over seeds) against log(width) must lie in this band (theory −½). */
  static final double SLOPE_LO = -0.65;
  static final double SLOPE_HI = -0.35;
  /** The relative kernel change at the narrowest width must be ≥ this × that at the widest (theory: √(ratio of widths)). */
  static final double CHANGE_FACTOR = 5;
  static final double BETA = NtkLinear.BETA;

  @Override
  public String name() {
    return "ntk-width";
  }

  @Override
  public String title() {
    return "NTK: the tangent kernel becomes deterministic and stays fixed as the width grows";
  }

  @Override
  public Citation paper() {
    return new Citation("A. Jacot, F. Gabriel, C. Hongler", 2018,
        "Neural Tangent Kernel: Convergence and Generalization in Neural Networks", "1806.07572");
  }

  @Override
  public String claim() {
    return "In the NTK parameterization the empirical kernel at initialization converges to a deterministic limit"
        + " (seed-to-seed std ∝ n^(−1/2): fitted slope in [" + SLOPE_LO + ", " + SLOPE_HI + "]) and stays nearly"
        + " constant during training (relative change after gradient descent at least " + CHANGE_FACTOR + "× smaller at"
        + " the widest width than at the narrowest, 100× apart).";
  }

  private record Setup(int[] widths, int seeds, int trainSeeds, int steps) {}

  private static final double[][] KERNEL_POINTS = {{1, 0}, {Math.cos(1.0), Math.sin(1.0)}, {Math.cos(2.5), Math.sin(2.5)}};

  @Override
  public Report run(StudyContext ctx) {
    Setup s = ctx.full() ? new Setup(new int[] {100, 1000, 10000}, 20, 5, 200) : new Setup(new int[] {50, 5000}, 3, 1, 20);
    Report report = newReport(ctx);
    report.setup("network", "f(x) = W₂·ReLU(W₁x/√2 + β·b₁)/√n + β·b₂, all parameters N(0, 1), β = " + BETA);
    report.setup("kernel at init", "3 unit-circle points (angles 0, 1, 2.5), " + s.seeds() + " seeds per width");
    report.setup("training", "full-batch GD, lr 1.0, MSE on 4 unit-circle points (angles 0, π/2, π, 3π/2, targets"
        + " ±0.5), " + s.steps() + " steps, " + s.trainSeeds() + " seeds per width");
    double[][] limit = ReluNtk.kernel(KERNEL_POINTS, 2, BETA);
    report.measure("analytic_theta", limit[0]);
    int w = s.widths().length;
    double[] std = new double[w];
    double[] bias = new double[w];
    double[] change = new double[w];
    List<List<Object>> rows = new ArrayList<>();
    List<Plots.Series> losses = new ArrayList<>();
    for (int i = 0; i < w; i++) {
      int n = s.widths()[i];
      double[][] dev = initDeviation(n, s.seeds(), ctx.rng().fork("init").fork(n), limit);
      std[i] = dev[0][0];
      bias[i] = dev[0][1];
      double[] loss = new double[s.steps()];
      // the trained network of seed 0, as train() builds it from the same stream
      ctx.initialized("the NTK-parameterized MLP, width " + n, new NtkMlp(new int[] {2, n, 1}, BETA,
          ctx.rng().fork("train").fork(n).fork(0)));
      try (Progress p = ctx.progress(name() + " n = " + n, s.trainSeeds())) {
        for (int seed = 0; seed < s.trainSeeds(); seed++) {
          double[] curve = seed == 0 ? loss : new double[s.steps()];
          change[i] += train(n, s.steps(), ctx.rng().fork("train").fork(n).fork(seed), curve) / s.trainSeeds();
          p.step(seed + 1, String.format(Locale.ROOT, "train MSE %.2e", curve[curve.length - 1]));
        }
      }
      losses.add(Plots.Series.of("n = " + n + " (seed 0)", loss));
      rows.add(List.of(n, std[i], bias[i], change[i], loss[loss.length - 1]));
      report.measure("n" + n + ".init_std", std[i]);
      report.measure("n" + n + ".relative_kernel_change", change[i]);
    }
    double slope = slope(s.widths(), std);
    report.add(new Table("empirical NTK against width", List.of("width n", "std of Θ̂ over seeds (mean over entries)",
        "max |mean Θ̂ − Θ|", "‖Θ̂_T − Θ̂_0‖/‖Θ̂_0‖", "final train MSE (seed 0)"), rows));
    double[] ws = new double[w];
    for (int i = 0; i < w; i++) {
      ws[i] = s.widths()[i];
    }
    report.add(new Figure("deviation at init and change during training", Plots.lines("against width (log y; x = n)",
        Plots.Axes.logY("width n", "value"), List.of(new Plots.Series("std of Θ̂ at init", ws, std),
            new Plots.Series("relative kernel change after training", ws, change)))));
    report.add(new Figure("training loss", Plots.lines("train MSE", Plots.Axes.logY("step", "MSE"), losses)));
    double factor = change[0] / change[w - 1];
    boolean ok = slope >= SLOPE_LO && slope <= SLOPE_HI && factor >= CHANGE_FACTOR;
    report.verdict(new Verdict(ok, String.format(Locale.ROOT, "seed std of Θ̂ at init falls with slope %.3f in log-log"
        + " (band [%.2f, %.2f]; %.4f at n = %d → %.4f at n = %d); the relative kernel change during training falls %.1f×"
        + " from n = %d to n = %d (needs ≥ %.0f×): %.4f → %.5f.", slope, SLOPE_LO, SLOPE_HI, std[0], s.widths()[0],
        std[w - 1], s.widths()[w - 1], factor, s.widths()[0], s.widths()[w - 1], CHANGE_FACTOR, change[0],
        change[w - 1])));
    return report;
  }

  /** {{mean over entries of the std over seeds, max |mean − limit|}} of Θ̂ at width n. */
  private static double[][] initDeviation(int n, int seeds, Rng rng, double[][] limit) {
    int p = KERNEL_POINTS.length;
    double[][] sum = new double[p][p];
    double[][] sq = new double[p][p];
    Tensor x = points(KERNEL_POINTS);
    for (int s = 0; s < seeds; s++) {
      NtkMlp net = new NtkMlp(new int[] {2, n, 1}, BETA, rng.fork(s));
      double[][] k = EmpiricalNtk.kernel(net.parameters(), net::forward, x);
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          sum[a][b] += k[a][b];
          sq[a][b] += k[a][b] * k[a][b];
        }
      }
    }
    double std = 0;
    double bias = 0;
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        double m = sum[a][b] / seeds;
        std += Math.sqrt(Math.max(0, (sq[a][b] - seeds * m * m) / (seeds - 1))) / (p * p);
        bias = Math.max(bias, Math.abs(m - limit[a][b]));
      }
    }
    return new double[][] {{std, bias}};
  }

  /** Trains one network; fills {@code loss} (seed 0's curve is kept) and returns ‖Θ̂_T − Θ̂_0‖_F/‖Θ̂_0‖_F. */
  private static double train(int n, int steps, Rng rng, double[] loss) {
    double[][] pts = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    Tensor x = points(pts);
    Tensor y = Tensors.of(DType.F32, new double[] {0.5, -0.5, 0.5, -0.5}, 4, 1);
    NtkMlp net = new NtkMlp(new int[] {2, n, 1}, BETA, rng);
    double[][] k0 = EmpiricalNtk.kernel(net.parameters(), net::forward, x);
    Sgd opt = Sgd.of(net, Sgd.Hyper.defaults().withLr(1.0).withMomentum(0).withWeightDecay(0));
    for (int t = 0; t < steps; t++) {
      Tensor l = Losses.mseLoss(net.forward(x), y, Reduction.MEAN);
      opt.step(l.backward());
      loss[t] = l.item();
    }
    double[][] k1 = EmpiricalNtk.kernel(net.parameters(), net::forward, x);
    double diff = 0;
    double norm = 0;
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        diff += (k1[a][b] - k0[a][b]) * (k1[a][b] - k0[a][b]);
        norm += k0[a][b] * k0[a][b];
      }
    }
    return Math.sqrt(diff / norm);
  }

  private static Tensor points(double[][] pts) {
    double[] v = new double[2 * pts.length];
    for (int i = 0; i < pts.length; i++) {
      v[2 * i] = pts[i][0];
      v[2 * i + 1] = pts[i][1];
    }
    return Tensors.of(DType.F32, v, pts.length, 2);
  }

  /** Least-squares slope of log y against log x. */
  private static double slope(int[] x, double[] y) {
    int n = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += Math.log(x[i]) / n;
      my += Math.log(y[i]) / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (Math.log(x[i]) - mx) * (Math.log(y[i]) - my);
      sxx += (Math.log(x[i]) - mx) * (Math.log(x[i]) - mx);
    }
    return sxy / sxx;
  }
}
