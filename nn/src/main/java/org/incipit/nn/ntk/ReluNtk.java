package org.incipit.nn.ntk;

/**
 * The infinite-width NTK of a ReLU {@link NtkMlp} (Jacot, Gabriel, Hongler 2018,
 * arXiv:1806.07572, Theorem 1 and Proposition 1), with the closed-form ReLU expectations (Cho &amp;
 * Saul 2009's arc-cosine kernel): for inputs x, x′ of dimension n₀,
 * <pre>
 * Σ¹ = xᵀx′/n₀ + β²                         Θ¹ = Σ¹
 * Σ^(ℓ+1) = E[σ(u)σ(v)] + β²,   Σ̇^(ℓ+1) = E[σ′(u)σ′(v)],   (u, v) ~ N(0, Σ^ℓ on {x, x′})
 * Θ^(ℓ+1) = Θ^ℓ·Σ̇^(ℓ+1) + Σ^(ℓ+1)
 * ReLU: with a = Σ(x,x), b = Σ(x′,x′), cos θ = Σ(x,x′)/√(ab):
 *   E[σ(u)σ(v)] = √(ab)/(2π)·(sin θ + (π − θ)·cos θ),     E[σ′(u)σ′(v)] = (π − θ)/(2π)
 * </pre>
 * for L layers (L − 1 hidden). Check: one hidden layer, β = 0.1, |x| = 1 in 2-D gives the diagonal
 * Θ = 0.51·½ + (0.51/2 + 0.01) = 0.52 ({@code NtkPropertiesTest}).
 */
public final class ReluNtk {
  private ReluNtk() {}

  /** Θ^(L) over the rows of {@code x} (P × n₀) for {@code layers} = L ≥ 1 NtkLinear layers and bias scale β. */
  public static double[][] kernel(double[][] x, int layers, double beta) {
    if (layers < 1 || x.length == 0) {
      throw new IllegalArgumentException("relu ntk: needs L ≥ 1 layers and at least one input, got L = " + layers
          + ", " + x.length + " inputs");
    }
    int p = x.length;
    int n0 = x[0].length;
    double[][] sigma = new double[p][p];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        double s = 0;
        for (int i = 0; i < n0; i++) {
          s += x[a][i] * x[b][i];
        }
        sigma[a][b] = s / n0 + beta * beta;
      }
    }
    double[][] theta = copy(sigma);
    for (int l = 1; l < layers; l++) {
      double[][] next = new double[p][p];
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          double ab = Math.sqrt(sigma[a][a] * sigma[b][b]);
          double cos = Math.max(-1, Math.min(1, sigma[a][b] / ab));
          double t = Math.acos(cos);
          double dot = (Math.PI - t) / (2 * Math.PI);
          next[a][b] = ab / (2 * Math.PI) * (Math.sin(t) + (Math.PI - t) * cos) + beta * beta;
          theta[a][b] = theta[a][b] * dot + next[a][b];
        }
      }
      sigma = next;
    }
    return theta;
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }
}
