package org.incipit.init;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Virgo: per-layer weight variances for a graph network from the graph itself (J. Li, Y. Song,
 * X. Song, D. Wipf 2023, "On the Initialization of Graph Neural Networks", ICML 2023,
 * arXiv:2312.02622; constants as in LspongebobJH/virgo_icml2023 {@code utils.py}, {@code init_layers}).
 * Glorot's forward/backward variance balance, with the graph's smoothing in it: with
 * Â = D̃^(−½)(A + I)D̃^(−½) and s_k(v) = ‖Â^k v‖² (sum over the N nodes), an L-layer network of
 * input width m_in, hidden width m and C classes gets
 * <pre>
 * forward   c_f[0] = 2/m_in,        c_f[l] = (2/m)·s_l(x̄)/s_{l+1}(x̄)           l = 1 … L−1
 * backward  b[0] = N/((C−1)·s_1(𝟙)),  b[j] = (2/m)·s_j(𝟙)/s_{j+1}(𝟙)           j = 1 … L−1
 *           c_b[l] = b[L−1−l]        (the last layer gets the softmax/cross-entropy term)
 * combined  harmonic (default) c = 2/(1/c_f + 1/c_b),  arithmetic c = (c_f + c_b)/2,
 *           or c_f alone ("virgofor"), or c_b alone ("virgoback")
 * weights   W_l ~ U(−√(3c_l), √(3c_l)),  so Var W_l = c_l;  biases unchanged (0)
 * </pre>
 * x̄ ∈ ℝ^N is each node's mean input feature, 𝟙 the all-ones vector; the factor 2 is ReLU's
 * gain², hard-coded as in the reference. Degrees enter only through the ratios s_k/s_{k+1}: on a
 * d-regular graph Â𝟙 = 𝟙, so every hidden backward term is exactly 2/m.
 *
 * <p>Choices where the paper is silent, following the reference code: the first layer's forward
 * constant ignores the graph (2/m_in); one variance per layer, shared by all its weight matrices
 * (GraphSAGE: lin_l and lin_r; GIN: the first and the last Linear of the MLP); biases are left at
 * their defaults. This class is pure: it takes Â·v as a function ({@code propagate}), so it needs
 * no graph type; {@code org.incipit.models.nets.GnnInit} binds it to a graph and a network.
 *
 * <p>Held by {@code VirgoPropertiesTest} (tests: exact constants on regular graphs, the
 * combinations, bad input, the sample variance of the draw by χ², and the hidden-layer forward
 * variance of a deep GCN on an Erdős–Rényi graph spreading by less than 2× where Xavier's spreads
 * by more than 10×) and the study {@code virgo-variance}. Zero-mean input features make x̄ noise,
 * and the forward ratios then overstate the smoothing (the test's Javadoc gives the numbers).
 */
public final class Virgo {
  /** How the forward and backward constants are combined. */
  public enum Mean {
    /** 2/(1/c_f + 1/c_b), the reference default. */
    HARMONIC,
    /** (c_f + c_b)/2 ({@code mean_method='normal'}). */
    ARITHMETIC,
    /** c_f alone ("virgofor"). */
    FORWARD,
    /** c_b alone ("virgoback"). */
    BACKWARD;

    double combine(double f, double b) {
      return switch (this) {
        case HARMONIC -> 2 / (1 / f + 1 / b);
        case ARITHMETIC -> (f + b) / 2;
        case FORWARD -> f;
        case BACKWARD -> b;
      };
    }
  }

  /** Network sizes: L layers, m_in input features, m hidden width, C classes. */
  public record Sizes(int layers, int inFeatures, int hidden, int classes) {
    public Sizes {
      if (layers < 1 || inFeatures < 1 || hidden < 1 || classes < 2) {
        throw new IllegalArgumentException("virgo: needs L ≥ 1 layers, m_in ≥ 1, m ≥ 1 and C ≥ 2 classes, got L = "
            + layers + ", m_in = " + inFeatures + ", m = " + hidden + ", C = " + classes);
      }
    }
  }

  /** The per-layer constants c_f, c_b and their combination c (each of length L). */
  public record Constants(double[] forward, double[] backward, double[] variance) {}

  private Virgo() {}

  /**
   * The constants of every layer.
   *
   * @param propagate v ↦ Â·v on vectors of length N
   * @param meanInput x̄, each node's mean input feature (length N)
   */
  public static Constants constants(UnaryOperator<double[]> propagate, double[] meanInput, Sizes sizes, Mean mean) {
    int n = meanInput.length;
    int layers = sizes.layers();
    double[] sx = smoothing(propagate, meanInput, layers);   // s_1 … s_L of x̄ at [0 … L−1]
    double[] ones = new double[n];
    Arrays.fill(ones, 1.0);
    double[] s1 = smoothing(propagate, ones, layers);
    double hidden = 2.0 / sizes.hidden();
    double[] f = new double[layers];
    double[] b = new double[layers];
    f[0] = 2.0 / sizes.inFeatures();
    b[0] = n / ((sizes.classes() - 1) * s1[0]);
    for (int l = 1; l < layers; l++) {
      f[l] = hidden * sx[l - 1] / sx[l];
      b[l] = hidden * s1[l - 1] / s1[l];
    }
    double[] cb = new double[layers];
    double[] c = new double[layers];
    for (int l = 0; l < layers; l++) {
      cb[l] = b[layers - 1 - l];
      c[l] = mean.combine(f[l], cb[l]);
      if (!(c[l] > 0) || !Double.isFinite(c[l])) {
        throw new IllegalArgumentException("virgo: layer " + l + " gets the variance " + c[l] + " (c_f = " + f[l]
            + ", c_b = " + cb[l] + "); Â^k x̄ vanishes — is the mean input feature zero on every node?");
      }
    }
    return new Constants(f, cb, c);
  }

  /** s_k(v) = ‖Â^k v‖² for k = 1 … K, at index k − 1. */
  public static double[] smoothing(UnaryOperator<double[]> propagate, double[] v, int k) {
    double[] s = new double[k];
    double[] x = v;
    for (int i = 0; i < k; i++) {
      x = propagate.apply(x);
      if (x.length != v.length) {
        throw new IllegalArgumentException("virgo: Â·v has " + x.length + " entries, v has " + v.length);
      }
      double sum = 0;
      for (double e : x) {
        sum += e * e;
      }
      s[i] = sum;
    }
    return s;
  }

  /** U(−√(3c), √(3c)): variance c. */
  public static Initializer uniform(double variance) {
    if (!(variance > 0)) {
      throw new IllegalArgumentException("virgo: the variance must be > 0, got " + variance);
    }
    double a = Math.sqrt(3 * variance);
    return Initializers.uniform(-a, a);
  }
}
