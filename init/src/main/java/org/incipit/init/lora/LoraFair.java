package org.incipit.init.lora;

import org.incipit.init.linalg.Dense;

/**
 * LoRA-FAIR's server step (Bian, Wang, Zhang, Xu 2025, "LoRA-FAIR: Federated LoRA Fine-Tuning with
 * Aggregation and Initialization Refinement", ICCV 2025, arXiv:2411.14961): FedIT averages the
 * clients' factors, but the product of the averages is not the average of the products; LoRA-FAIR
 * keeps Ā and corrects B̄ by a residual ΔB chosen on the server, and the clients start the next
 * round from (B̄ + ΔB, Ā) — the aggregation and the next round's initialization at once.
 * <pre>
 * Ā = Σ p_k A_k,   B̄ = Σ p_k B_k,   ΔW = Σ p_k B_k A_k            (p_k ∝ client data size)
 * ΔB* = argmin_ΔB  f(ΔB) = 1 − cos(vec ΔW, vec((B̄ + ΔB) Ā)) + λ ‖ΔB‖_F²
 * ∂f/∂ΔB = −(∂cos/∂M) Āᵀ + 2λ ΔB,   ∂cos/∂M = T/(‖T‖‖M‖) − cos·M/‖M‖²   (M = (B̄+ΔB)Ā, T = ΔW)
 * </pre>
 * solved by gradient descent from ΔB = 0. Choices where the paper is silent (no official code was
 * available; see the spec): the similarity is 1 − cos of the flattened matrices and the regulariser
 * the squared Frobenius norm, as a third-party re-implementation does; defaults λ = 0.01, 1000
 * steps, step size 0.01; the iterate with the lowest objective is returned, so f(ΔB*) ≤ f(0)
 * always holds. W0 is never touched. Held by {@code LoraFairTest} (identical clients give ΔB* = 0,
 * large λ gives FedIT, λ = 0 raises the cosine towards 1, the objective never exceeds f(0), the
 * gradient against central differences, scale invariance in ΔW).
 */
public final class LoraFair {
  private LoraFair() {}

  /** The broadcast factors and what the server measured. */
  public record Round(double[][] b, double[][] a, double cosFedIt, double cosFair, double objectiveAtZero,
                      double objective) {}

  /** The options of the server step: λ, the number of descent steps and the step size. */
  public record Options(double lambda, int steps, double lr) {
    public static Options defaults() {
      return new Options(0.01, 1000, 0.01);
    }
  }

  /** FedIT's average Σ p_k M_k (weights normalised to sum 1). */
  public static double[][] average(double[][][] m, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double[][] out = new double[m[0].length][m[0][0].length];
    for (int k = 0; k < m.length; k++) {
      out = Dense.combine(1, out, weights[k] / total, m[k]);
    }
    return out;
  }

  /** The server step for client factors B_k (m×r), A_k (r×n) and weights p_k. */
  public static Round aggregate(double[][][] bs, double[][][] as, double[] weights, Options o) {
    if (bs.length != as.length || bs.length != weights.length || bs.length == 0) {
      throw new IllegalArgumentException("lora-fair: " + bs.length + " B's, " + as.length + " A's and " + weights.length
          + " weights (need the same positive number)");
    }
    double[][] bBar = average(bs, weights);
    double[][] aBar = average(as, weights);
    double[][][] products = new double[bs.length][][];
    for (int k = 0; k < bs.length; k++) {
      products[k] = Dense.mul(bs[k], as[k]);
    }
    double[][] ideal = average(products, weights);
    double[][] delta = new double[bBar.length][bBar[0].length];
    double f0 = objective(ideal, bBar, aBar, delta, o.lambda());
    double[][] best = delta;
    double fBest = f0;
    for (int t = 0; t < o.steps() && Dense.frobenius2(ideal) > 0; t++) {
      delta = Dense.combine(1, delta, -o.lr(), gradient(ideal, bBar, aBar, delta, o.lambda()));
      double f = objective(ideal, bBar, aBar, delta, o.lambda());
      if (f < fBest) {
        fBest = f;
        best = delta;
      }
    }
    double[][] b = Dense.combine(1, bBar, 1, best);
    return new Round(b, aBar, cos(ideal, Dense.mul(bBar, aBar)), cos(ideal, Dense.mul(b, aBar)), f0, fBest);
  }

  /** f(ΔB) = 1 − cos(ΔW, (B̄ + ΔB)Ā) + λ‖ΔB‖². */
  public static double objective(double[][] ideal, double[][] bBar, double[][] aBar, double[][] delta, double lambda) {
    return 1 - cos(ideal, Dense.mul(Dense.combine(1, bBar, 1, delta), aBar)) + lambda * Dense.frobenius2(delta);
  }

  /** ∂f/∂ΔB. */
  public static double[][] gradient(double[][] ideal, double[][] bBar, double[][] aBar, double[][] delta, double lambda) {
    double[][] m = Dense.mul(Dense.combine(1, bBar, 1, delta), aBar);
    double nt = Math.sqrt(Dense.frobenius2(ideal));
    double nm = Math.sqrt(Dense.frobenius2(m));
    if (nm == 0 || nt == 0) {
      return Dense.scale(2 * lambda, delta); // cos is undefined at 0; only the regulariser pulls
    }
    double c = cos(ideal, m);
    double[][] dCosDm = Dense.combine(1 / (nt * nm), ideal, -c / (nm * nm), m);
    return Dense.combine(-1, Dense.mul(dCosDm, Dense.transpose(aBar)), 2 * lambda, delta);
  }

  /** cos(vec X, vec Y); 0 when either is 0. */
  public static double cos(double[][] x, double[][] y) {
    double dot = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        dot += x[i][j] * y[i][j];
      }
    }
    double n = Math.sqrt(Dense.frobenius2(x) * Dense.frobenius2(y));
    return n == 0 ? 0 : dot / n;
  }
}
