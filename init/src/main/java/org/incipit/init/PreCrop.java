package org.incipit.init;

import java.util.Arrays;

/**
 * PreCrop: structured (channel) pruning at initialization from layer-wise densities. Cai, Hua,
 * Chen, Suh, De Sa, Zhang, 2022, "Structured Pruning is All You Need for Pruning CNNs at
 * Initialization" (ICLR 2023 submission "Structured Pruning of CNNs at Initialization"),
 * arXiv:2203.02549. No code is public; this follows the abstract and reviews (see the choices).
 *
 * <p>The paper's claim: a pruned-at-init CNN's accuracy depends on its layer-wise densities d_l,
 * not on which weights are kept, so the densities can be realised by cropping channels, giving a
 * smaller dense network. The densities solve a convex program (the "SynExp" proxy, the
 * expectation of the SynFlow score, which depends only on d_l):
 * <pre>
 * maximise  Σ_l log d_l   subject to   Σ_l d_l·n_l = B,   0 &lt; d_l ≤ 1          (n_l = cost of layer l)
 * ⇒ water-filling:  d_l = min(1, λ/n_l),  λ such that Σ_l min(n_l, λ) = B
 *    (every layer that is not dense keeps the same number λ of parameters)
 * </pre>
 * A chain of layers with widths C_0 … C_L (C_0 = input channels and C_L = outputs are fixed) has
 * n_l = C_{l−1}·C_l·u_l parameters (u_l = kernel area, or the pooled pixels feeding a linear
 * head). Keeping k_l = C′_l/C_l of each width gives layer l the density k_{l−1}·k_l, so the
 * channel keep-ratios are fitted in log space and then shifted to meet the budget:
 * <pre>
 * v = argmin Σ_l (v_{l−1} + v_l − log d_l)²,  v_0 = v_L = 0,  v_l ≤ 0       (projected Gauss–Seidel)
 * s: Σ_l n_l·exp(min(0, v_{l−1}+s) + min(0, v_l+s)) = B                 (bisection; ends stay 0)
 * C′_l = max(1, round(C_l·exp(min(0, v_l + s))))
 * </pre>
 *
 * <p>Choices where the paper is silent (its method section could not be read, and a reviewer
 * noted the pruning step is unclear): the objective is taken as the sum of log-densities under a
 * parameter budget (stated in the abstract), without the SynExp constants; the density-to-channel
 * map is the least-squares fit above (the greedy map c_l = d_l/c_{l−1} leaves the classifier, whose
 * outputs are fixed, far from its density); widths are never grown (no "PreConfig"); biases are not
 * counted. Held by {@code PreCropProperties} (water-filling KKT and budget, exact recovery of
 * realisable widths, the cropped net within one channel's rounding of the budget, shapes valid).
 *
 * <pre>{@code
 * PreCrop.Chain cnn = new PreCrop.Chain(new int[] {1, 16, 32, 32, 10}, new int[] {9, 9, 9, 4}, new int[] {64, 64, 16, 1});
 * double[] d = PreCrop.densities(cnn.params(), 0.25 * cnn.totalParams());
 * int[] widths = PreCrop.crop(cnn, d, 0.25 * cnn.totalParams());   // {1, C′1, C′2, C′3, 10}
 * }</pre>
 */
public final class PreCrop {
  private static final int SWEEPS = 500;

  private PreCrop() {}

  /**
   * A chain of layers: widths C_0 … C_L, per-layer unit u_l (weights per input–output channel
   * pair) and output positions p_l (multiply–accumulates per weight per example).
   */
  public record Chain(int[] widths, int[] unit, int[] positions) {
    public Chain {
      int layers = widths.length - 1;
      if (layers < 1 || unit.length != layers || positions.length != layers) {
        throw new IllegalArgumentException("PreCrop.Chain: needs L+1 widths and L units and positions, got "
            + widths.length + " widths, " + unit.length + " units, " + positions.length + " positions");
      }
      for (int x : widths) {
        if (x < 1) {
          throw new IllegalArgumentException("PreCrop.Chain: widths must be ≥ 1, got " + Arrays.toString(widths));
        }
      }
      widths = widths.clone();
      unit = unit.clone();
      positions = positions.clone();
    }

    public int layers() {
      return unit.length;
    }

    /** The same chain with other widths. */
    public Chain withWidths(int[] w) {
      return new Chain(w, unit, positions);
    }

    /** n_l = C_{l−1}·C_l·u_l. */
    public double[] params() {
      double[] n = new double[layers()];
      Arrays.setAll(n, l -> (double) widths[l] * widths[l + 1] * unit[l]);
      return n;
    }

    public double totalParams() {
      return Arrays.stream(params()).sum();
    }

    /** Multiply–accumulates per example: Σ_l n_l·p_l. */
    public double macs() {
      double[] n = params();
      double m = 0;
      for (int l = 0; l < n.length; l++) {
        m += n[l] * positions[l];
      }
      return m;
    }
  }

  /**
   * Water-filling: d_l = min(1, λ/n_l) with Σ d_l·n_l = budget, the maximiser of Σ log d_l.
   *
   * @throws IllegalArgumentException when a cost is not positive or the budget is outside (0, Σ n_l]
   */
  public static double[] densities(double[] cost, double budget) {
    double total = 0;
    for (double c : cost) {
      if (!(c > 0) || Double.isInfinite(c)) {
        throw new IllegalArgumentException("PreCrop: layer costs must be finite and > 0, got " + Arrays.toString(cost));
      }
      total += c;
    }
    if (!(budget > 0 && budget <= total * (1 + 1e-12))) {
      throw new IllegalArgumentException("PreCrop: the budget must be in (0, " + total + "], got " + budget);
    }
    double[] sorted = cost.clone();
    Arrays.sort(sorted);
    double below = 0; // Σ of the costs under λ: those layers are dense
    double lambda = sorted[sorted.length - 1];
    for (int i = 0; i < sorted.length; i++) {
      double candidate = (budget - below) / (sorted.length - i); // λ if layers i.. share what is left
      if (candidate <= sorted[i]) {
        lambda = candidate;
        break;
      }
      below += sorted[i];
    }
    double[] d = new double[cost.length];
    for (int l = 0; l < d.length; l++) {
      d[l] = Math.min(1.0, lambda / cost[l]);
    }
    return d;
  }

  /** The log keep-ratios v_0 … v_L (v_0 = v_L = 0) that fit log d_l best in least squares, v ≤ 0. */
  static double[] fitLogKeep(double[] density, int layers) {
    double[] t = new double[layers];
    for (int l = 0; l < layers; l++) {
      if (!(density[l] > 0 && density[l] <= 1)) {
        throw new IllegalArgumentException("PreCrop: densities must be in (0, 1], got " + Arrays.toString(density));
      }
      t[l] = Math.log(density[l]);
    }
    double[] v = new double[layers + 1];
    for (int sweep = 0; sweep < SWEEPS; sweep++) {
      for (int j = 1; j < layers; j++) { // width j sits between layer j−1 (index j−1) and layer j
        double fit = ((t[j - 1] - v[j - 1]) + (t[j] - v[j + 1])) / 2;
        v[j] = Math.min(0, fit);
      }
    }
    return v;
  }

  /**
   * The cropped widths C′_0 … C′_L for target densities: ends fixed, hidden widths fitted to the
   * densities and shifted so the parameter count meets {@code budget} up to rounding.
   */
  public static int[] crop(Chain chain, double[] density, double budget) {
    int layers = chain.layers();
    if (density.length != layers) {
      throw new IllegalArgumentException("PreCrop: " + layers + " layers but " + density.length + " densities");
    }
    double[] v = fitLogKeep(density, layers);
    double[] n = chain.params();
    double lo = -60;
    double hi = 60;
    for (int it = 0; it < 200; it++) {
      double mid = (lo + hi) / 2;
      if (kept(n, v, mid) > budget) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    int[] w = chain.widths().clone();
    for (int j = 1; j < layers; j++) {
      w[j] = Math.max(1, (int) Math.round(w[j] * Math.exp(Math.min(0, v[j] + lo))));
    }
    return w;
  }

  /** Σ_l n_l·exp(min(0, v_{l−1}+s) + min(0, v_l+s)), the ends (v = 0, fixed) not shifted. */
  private static double kept(double[] n, double[] v, double s) {
    int layers = n.length;
    double total = 0;
    for (int l = 0; l < layers; l++) {
      double a = l == 0 ? 0 : Math.min(0, v[l] + s);
      double b = l + 1 == layers ? 0 : Math.min(0, v[l + 1] + s);
      total += n[l] * Math.exp(a + b);
    }
    return total;
  }
}
