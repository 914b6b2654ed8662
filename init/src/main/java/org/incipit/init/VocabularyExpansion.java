package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;

/**
 * Rows for k new tokens appended to a trained embedding table E (n×d): every method builds the new
 * rows from the statistics or the convex hull of the existing rows, so an added token starts where
 * the model already "speaks" instead of at a random point.
 * <pre>
 * μ = (1/n) Σᵢ Eᵢ,   Σ = (E − μ)ᵀ(E − μ) / n                     (population moments)
 * mean          e = μ
 * univariate    e_j ~ N(μ_j, σ_j²)  per dimension j,   σ_j² = Σ_jj
 * multivariate  e ~ N(μ, c·Σ),   c = 1e−5 (Hewitt)         sampled as  e = μ + √(c/n)·(E − μ)ᵀ z,  z ~ N(0, I_n)
 * convex hull   e = Σᵢ wᵢ Eᵢ,   w ~ Dirichlet(1, …, 1)      (w ≥ 0, Σ w = 1)
 * CW2V          e = softmax(A₁A₂)·E_base, trained            see {@link Cw2v}
 * </pre>
 * The tied-head theory (Hewitt; Mundra et al.): for a hidden state h the new logit is
 * l_new = h·e. With e = Σ wᵢ Eᵢ it is Σ wᵢ lᵢ ≤ maxᵢ lᵢ, so a new token never dominates; with mean
 * init it is the mean logit, and by Jensen the partition function grows by at most k/n:
 * <pre>
 * Z' = Z + k·exp(mean l) ≤ Z·(1 + k/n)   ⇒   KL(p_old ‖ p_new) = log(Z'/Z) ≤ log(1 + k/n)   for every h.
 * </pre>
 * ({@link #meanKlBound}). HF's default N(0, 0.02²) rows give l_new ≈ 0 instead, which can dwarf a
 * trained model's (mostly negative) logits.
 *
 * <p>Papers: J. Hewitt, 2021, "Initializing New Word Embeddings for Pretrained Language Models"
 * (blog, nlp.stanford.edu/~johnhew/vocab-expansion.html): mean and multivariate (c = 1e−5);
 * N. Mundra, A. Khandavally, R. Dabre, R. Puduppully, A. Kunchukuttan, M. M. Khapra, 2024, "An
 * Empirical Comparison of Vocabulary Expansion and Initialization Approaches for Language Models"
 * (CoNLL 2024), arXiv:2407.05841: univariate, convex hull, CW2V, and the comparison.
 *
 * <p>Choices where the sources are silent: σ and Σ are population moments (divide by n, as
 * NumPy's defaults); the multivariate sample uses the centred rows instead of a Cholesky factor,
 * which has covariance exactly c·Σ and needs no jitter when Σ is singular (n ≤ d); the convex-hull
 * weights are flat Dirichlet(1) (uniform on the simplex), drawn as normalised Exp(1) variables
 * −log(1 − u). Every method returns the k new rows in E's dtype and device; {@link #expand} appends
 * them, copying the old rows bit for bit.
 *
 * <p>Held by {@code VocabularyExpansionTest} (init: the KL bound, l_new = mean l, convex weights and
 * l_new ≤ max l, bit-exact old rows, errors) and {@code VocabularyExpansionSampleTest} (tests: the
 * univariate and multivariate moments with {@code SampleCheck}); studied by {@code vocab-expansion}.
 *
 * <pre>{@code
 * Tensor e = model.namedParameters().get("wte.weight").value();          // (n, d)
 * Tensor grown = VocabularyExpansion.expand(e, VocabularyExpansion.mean(e, 16)); // (n + 16, d)
 * }</pre>
 */
public final class VocabularyExpansion {
  /** Hewitt's covariance scale c: new rows sit within ~√c of the mean. */
  public static final double HEWITT_SCALE = 1e-5;

  private VocabularyExpansion() {}

  /** k copies of the mean row μ: (k, d). */
  public static Tensor mean(Tensor e, int k) {
    check(e, k, "mean");
    double[] mu = moments(e)[0];
    double[] out = new double[k * mu.length];
    for (int i = 0; i < k; i++) {
      System.arraycopy(mu, 0, out, i * mu.length, mu.length);
    }
    return like(e, out, k);
  }

  /** k rows with e_j ~ N(μ_j, σ_j²) independently per dimension: (k, d). */
  public static Tensor univariate(Tensor e, int k, Rng rng) {
    check(e, k, "univariate");
    double[][] m = moments(e);
    int d = m[0].length;
    double[] z = rng.normal(k * d);
    for (int i = 0; i < z.length; i++) {
      z[i] = m[0][i % d] + Math.sqrt(m[1][i % d]) * z[i];
    }
    return like(e, z, k);
  }

  /** k rows e ~ N(μ, c·Σ), sampled as μ + √(c/n)·zᵀ(E − μ) with z ~ N(0, I_n): (k, d). */
  public static Tensor multivariate(Tensor e, int k, double c, Rng rng) {
    check(e, k, "multivariate");
    if (!(c >= 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException("vocabulary expansion (multivariate): the covariance scale c must be finite"
          + " and ≥ 0, got " + c);
    }
    int n = e.size(0);
    int d = e.size(1);
    double[] rows = e.toDoubles();
    double[] mu = moments(e)[0];
    double[] z = rng.normal(k * n);
    double scale = Math.sqrt(c / n);
    double[] out = new double[k * d];
    for (int r = 0; r < k; r++) {
      for (int i = 0; i < n; i++) {
        double w = scale * z[r * n + i];
        for (int j = 0; j < d; j++) {
          out[r * d + j] += w * (rows[i * d + j] - mu[j]);
        }
      }
      for (int j = 0; j < d; j++) {
        out[r * d + j] += mu[j];
      }
    }
    return like(e, out, k);
  }

  /** k rows of flat Dirichlet(1, …, 1) weights over n rows: (k, n) F64, each row ≥ 0 summing to 1. */
  public static Tensor dirichletWeights(int k, int n, Rng rng) {
    if (k < 1 || n < 1) {
      throw new IllegalArgumentException("vocabulary expansion (dirichlet): need k ≥ 1 and n ≥ 1, got " + k + ", " + n);
    }
    double[] g = rng.uniform(k * n);
    for (int r = 0; r < k; r++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        g[r * n + i] = -StrictMath.log(1.0 - g[r * n + i]); // Exp(1); 1 − u ∈ (0, 1]
        s += g[r * n + i];
      }
      for (int i = 0; i < n; i++) {
        g[r * n + i] /= s;
      }
    }
    return Tensors.of(org.incipit.tensor.DType.F64, g, k, n);
  }

  /** k random points of the convex hull of E's rows: {@link #dirichletWeights} · E, (k, d). */
  public static Tensor convexHull(Tensor e, int k, Rng rng) {
    check(e, k, "convex hull");
    return convexHull(e, dirichletWeights(k, e.size(0), rng));
  }

  /** The rows W·E for weights W (k, n) on the simplex (each row ≥ 0, summing to 1 within 1e−6): (k, d). */
  public static Tensor convexHull(Tensor e, Tensor w) {
    check(e, 1, "convex hull");
    if (w.rank() != 2 || w.size(1) != e.size(0)) {
      throw new IllegalArgumentException("vocabulary expansion (convex hull): weights must be (k, " + e.size(0)
          + ") for E " + e.shape() + ", got " + w.shape());
    }
    double[] v = w.toDoubles();
    int n = w.size(1);
    for (int r = 0; r < w.size(0); r++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        if (!(v[r * n + i] >= 0)) {
          throw new IllegalArgumentException("vocabulary expansion (convex hull): weight [" + r + ", " + i + "] = "
              + v[r * n + i] + " is negative");
        }
        s += v[r * n + i];
      }
      if (Math.abs(s - 1) > 1e-6) {
        throw new IllegalArgumentException("vocabulary expansion (convex hull): weights of row " + r + " sum to " + s
            + ", not 1");
      }
    }
    return w.cast(e.dtype()).to(e.device()).matmul(e); // (k, n)·(n, d) = (k, d)
  }

  /** [E; rows]: the old rows unchanged (bit for bit), then the new ones: (n + k, d). */
  public static Tensor expand(Tensor e, Tensor rows) {
    check(e, 1, "expand");
    if (rows.rank() != 2 || rows.size(1) != e.size(1)) {
      throw new IllegalArgumentException("vocabulary expansion: new rows must be (k, " + e.size(1) + ") for E "
          + e.shape() + ", got " + rows.shape());
    }
    return Tensors.cat(0, e, rows.cast(e.dtype()).to(e.device()));
  }

  /** log(1 + k/n): the bound on KL(p_old ‖ p_new) for mean init of k new rows among n. */
  public static double meanKlBound(int n, int k) {
    return StrictMath.log1p((double) k / n);
  }

  /** {μ, diag Σ} of E's rows, in double precision. */
  static double[][] moments(Tensor e) {
    int n = e.size(0);
    int d = e.size(1);
    double[] v = e.toDoubles();
    double[] mu = new double[d];
    double[] var = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mu[j] += v[i * d + j] / n;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double c = v[i * d + j] - mu[j];
        var[j] += c * c / n;
      }
    }
    return new double[][] {mu, var};
  }

  private static Tensor like(Tensor e, double[] values, int k) {
    return Tensors.of(e.dtype(), values, org.incipit.tensor.Shape.of(k, e.size(1)), e.device());
  }

  private static void check(Tensor e, int k, String method) {
    if (e.rank() != 2 || e.size(0) < 1 || e.size(1) < 1) {
      throw new IllegalArgumentException("vocabulary expansion (" + method + "): E must be a non-empty (n, d) table, got "
          + e.shape());
    }
    if (k < 1) {
      throw new IllegalArgumentException("vocabulary expansion (" + method + "): need k ≥ 1 new rows, got " + k);
    }
    if (!e.dtype().isFloating()) {
      throw new IllegalArgumentException("vocabulary expansion (" + method + "): E must be floating, got " + e.dtype());
    }
  }
}
