package org.incipit.init;

import java.util.Arrays;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * Random pruning at initialization: layer-wise densities d_l for an overall density D, and i.i.d.
 * Bernoulli(d_l) masks. Liu, Chen, Chen, Shen, Mocanu, Wang, Pechenizkiy, 2022, "The Unreasonable Effectiveness of Random Pruning: Return of the Most Naive Baseline for
 * Sparse Training", ICLR 2022, arXiv:2202.02643 (reference code VITA-Group/Random_Pruning,
 * {@code CIFAR/sparselearning/core.py}, whose solver this follows).
 *
 * <pre>
 * uniform:  d_l = D
 * ER:       s_l = (n_out + n_in) / (n_out · n_in)                  from shape[0], shape[1] only
 * ERK:      s_l = (Σ_i shape_i) / (Π_i shape_i)                     kernel dims included
 *
 * with 𝒟 = ∅ (layers forced dense) and n_l = Π shape_l, repeat:
 *   ε = [ Σ_{l∉𝒟} D·n_l − Σ_{l∈𝒟} (1 − D)·n_l ] / Σ_{l∉𝒟} s_l·n_l
 *   if max_{l∉𝒟} ε·s_l &gt; 1: add every l∉𝒟 whose s_l equals that maximum to 𝒟
 * then d_l = 1 for l ∈ 𝒟, else ε·s_l;   so Σ_l d_l·n_l = D·Σ_l n_l exactly
 *
 * mask_l[i] = 1 if u_i &lt; d_l else 0,   u_i ~ U[0, 1) i.i.d.
 * </pre>
 *
 * <p>Choices where the paper is silent: ER reads the first two dimensions of a weight of any rank
 * ([out, in, …] as in PyTorch), as the reference does; a weight of rank 1 has no (out, in) and is
 * rejected (biases and norm gains are not pruned: {@code nn.Pruning} selects weights of rank ≥ 2);
 * D = 1 gives every layer density 1. The paper's "uniform+" and "ERK+" variants (first conv or
 * classifier kept dense) are not implemented: pass the layers to prune instead.
 *
 * <p>Held by {@code RandomPruningProperties} (budget Σ d_l·n_l = D·Σ n_l, 0 &lt; d_l ≤ 1, ratios
 * d_i/d_j = s_i/s_j among non-dense layers, mask means within a binomial band) and
 * {@code RandomPruningFixtureTest} / {@code ./incipit parity ../shared/fixtures/init_schemes.json}
 * (the {@code random_pruning_densities} cases to 1e−12).
 *
 * <pre>{@code
 * double[] d = RandomPruning.densities(List.of(Shape.of(256, 784), Shape.of(10, 256)), 0.1, RandomPruning.Method.ERK);
 * Tensor m = RandomPruning.mask(Shape.of(256, 784), d[0], rng.fork("fc0"));   // 0/1 float32
 * }</pre>
 */
public final class RandomPruning {
  /** How the overall density is spread over the layers. */
  public enum Method {
    /** d_l = D. */
    UNIFORM,
    /** Erdős–Rényi: s_l = (n_out + n_in)/(n_out·n_in). */
    ER,
    /** Erdős–Rényi-Kernel: s_l = Σ shape / Π shape. */
    ERK;

    /** The raw score s_l of a weight shape (1 for uniform). */
    public double score(Shape w) {
      if (w.rank() < 2) {
        throw new IllegalArgumentException("random pruning: weight shape " + w + " has rank " + w.rank()
            + "; only weights of rank ≥ 2 ([out, in, …]) are pruned");
      }
      int[] dims = w.dims();
      switch (this) {
        case UNIFORM:
          return 1.0;
        case ER:
          return ((double) dims[0] + dims[1]) / ((double) dims[0] * dims[1]);
        default:
          double sum = 0;
          double prod = 1;
          for (int d : dims) {
            sum += d;
            prod *= d;
          }
          return sum / prod;
      }
    }
  }

  private RandomPruning() {}

  /**
   * The density of each layer: Σ d_l·n_l = {@code density}·Σ n_l, 0 &lt; d_l ≤ 1.
   *
   * @throws IllegalArgumentException for no shapes, a shape of rank &lt; 2 or with a zero
   *     dimension, or a density outside (0, 1]
   */
  public static double[] densities(List<Shape> shapes, double density, Method method) {
    if (shapes.isEmpty()) {
      throw new IllegalArgumentException("random pruning: no weight shapes given");
    }
    if (!(density > 0 && density <= 1)) {
      throw new IllegalArgumentException("random pruning: the overall density must be in (0, 1], got " + density);
    }
    int layers = shapes.size();
    double[] n = new double[layers];
    double[] s = new double[layers];
    for (int l = 0; l < layers; l++) {
      Shape w = shapes.get(l);
      s[l] = method.score(w);
      n[l] = w.numel();
      if (n[l] == 0) {
        throw new IllegalArgumentException("random pruning: weight shape " + w + " is empty");
      }
    }
    if (method == Method.UNIFORM || density == 1) {
      double[] d = new double[layers];
      Arrays.fill(d, density);
      return d;
    }
    return solve(n, s, density);
  }

  /** The ε-solver with the growing set of dense layers (see the class comment). */
  private static double[] solve(double[] n, double[] s, double density) {
    int layers = n.length;
    double[] d = new double[layers];
    boolean[] dense = new boolean[layers];
    while (true) {
      double rhs = 0;
      double divisor = 0;
      double maxScore = Double.NEGATIVE_INFINITY;
      for (int l = 0; l < layers; l++) {
        if (dense[l]) {
          rhs -= (1 - density) * n[l];
        } else {
          rhs += density * n[l];
          divisor += s[l] * n[l];
          maxScore = Math.max(maxScore, s[l]);
        }
      }
      if (divisor == 0) { // every layer is dense: only reachable through rounding at D ≈ 1
        Arrays.fill(d, 1.0);
        return d;
      }
      double eps = rhs / divisor;
      if (eps * maxScore <= 1) {
        for (int l = 0; l < layers; l++) {
          d[l] = dense[l] ? 1.0 : eps * s[l];
        }
        return d;
      }
      for (int l = 0; l < layers; l++) {
        dense[l] |= !dense[l] && s[l] == maxScore;
      }
    }
  }

  /**
   * A 0/1 float32 mask of {@code shape} with i.i.d. entries equal to 1 with probability
   * {@code density}: 1 where U[0,1) &lt; density (so density 1 keeps everything).
   */
  public static Tensor mask(Shape shape, double density, Rng rng) {
    if (!(density >= 0 && density <= 1)) {
      throw new IllegalArgumentException("random pruning: a mask density must be in [0, 1], got " + density);
    }
    double[] u = rng.uniform(shape.numel());
    double[] m = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      m[i] = u[i] < density ? 1.0 : 0.0;
    }
    return Tensors.of(DType.F32, m, shape.dims());
  }
}
