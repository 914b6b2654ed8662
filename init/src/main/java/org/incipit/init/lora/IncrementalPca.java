package org.incipit.init.lora;

import org.incipit.init.linalg.Dense;

/**
 * Mean-centred incremental PCA over minibatches (Ross et al. 2008; scikit-learn's
 * {@code IncrementalPCA}, which PEFT's EVA ports), keeping k components between batches.
 * <pre>
 * X̃ = [ diag(S_prev) V_prevᵀ ;  X_b − x̄_b ;  √(N_prev n_b/(N_prev+n_b)) (μ_prev − x̄_b) ]
 * X̃ = U S Vᵀ,  components = the first k rows of Vᵀ,  signs: the largest-|·| entry of each row > 0
 * EVR_i = S_i² / Σ_j Σ_t (x_tj − μ_j)²    (the total variance of everything seen, kept exactly)
 * </pre>
 * With k = min(rows, n) nothing is discarded and the result equals the batch PCA of all rows seen
 * (up to sign, fixed here); with k smaller it is the usual streaming approximation, exact when the
 * centred data has rank ≤ k. Batches with fewer than k rows are skipped, as in PEFT. Held by
 * {@code EvaTest} (incremental = batch PCA, sign rule) and the {@code eva_pca} fixture cases.
 */
public final class IncrementalPca {
  private final int k;
  private final int n;
  private long count;
  private double[] mean;
  private double[] sumSquares; // Σ_t (x_tj − μ_j)² per feature
  private double[][] components; // (≤k, n)
  private double[] singular;
  private double[][] previous;

  public IncrementalPca(int features, int components) {
    if (components < 1 || components > features) {
      throw new IllegalArgumentException("incremental pca: components must be in 1.." + features + ", got " + components);
    }
    this.k = components;
    this.n = features;
    this.mean = new double[features];
    this.sumSquares = new double[features];
  }

  /** Folds in one batch (rows are samples); returns false when it had fewer than k rows and was skipped. */
  public boolean update(double[][] batch) {
    if (batch.length == 0 || batch[0].length != n) {
      throw new IllegalArgumentException("incremental pca: a batch must be (rows, " + n + "), got "
          + batch.length + "x" + (batch.length == 0 ? 0 : batch[0].length));
    }
    int nb = batch.length;
    if (nb < k) {
      return false;
    }
    double[] bm = new double[n];
    for (double[] row : batch) {
      for (int j = 0; j < n; j++) {
        bm[j] += row[j] / nb;
      }
    }
    long total = count + nb;
    int extra = count == 0 ? 0 : components.length + 1;
    double[][] x = new double[extra + nb][];
    if (count > 0) {
      for (int i = 0; i < components.length; i++) {
        x[i] = new double[n];
        for (int j = 0; j < n; j++) {
          x[i][j] = singular[i] * components[i][j];
        }
      }
      double f = Math.sqrt((double) count * nb / total);
      x[components.length] = new double[n];
      for (int j = 0; j < n; j++) {
        x[components.length][j] = f * (mean[j] - bm[j]);
      }
    }
    for (int t = 0; t < nb; t++) {
      x[extra + t] = new double[n];
      for (int j = 0; j < n; j++) {
        x[extra + t][j] = batch[t][j] - bm[j];
      }
    }
    for (int j = 0; j < n; j++) {
      double ss = 0;
      for (double[] row : batch) {
        ss += (row[j] - bm[j]) * (row[j] - bm[j]);
      }
      double d = bm[j] - mean[j];
      sumSquares[j] += ss + d * d * count * nb / total;
      mean[j] += d * nb / total;
    }
    count = total;
    Dense.Svd d = Dense.svd(x);
    int keep = Math.min(k, d.s().length);
    previous = components;
    components = new double[keep][];
    singular = new double[keep];
    for (int i = 0; i < keep; i++) {
      components[i] = signFixed(d.v(), i);
      singular[i] = d.s()[i];
    }
    return true;
  }

  /** Column i of V as a row, its largest-magnitude entry made positive. */
  private static double[] signFixed(double[][] v, int i) {
    double[] row = new double[v.length];
    int arg = 0;
    for (int j = 0; j < v.length; j++) {
      row[j] = v[j][i];
      if (Math.abs(row[j]) > Math.abs(row[arg])) {
        arg = j;
      }
    }
    if (row[arg] < 0) {
      for (int j = 0; j < row.length; j++) {
        row[j] = -row[j];
      }
    }
    return row;
  }

  /** The components (rows, orthonormal, by decreasing variance); null before the first batch. */
  public double[][] components() {
    return components == null ? null : PeftInits.copy(components);
  }

  /** EVR_i = S_i² / total sum of squares of the centred data seen. */
  public double[] explainedVarianceRatio() {
    double total = 0;
    for (double v : sumSquares) {
      total += v;
    }
    double[] r = new double[singular.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = total == 0 ? 0 : singular[i] * singular[i] / total;
    }
    return r;
  }

  /** |cos| between each current component and its value one update earlier (0 where there was none). */
  public double[] cosineToPrevious() {
    double[] c = new double[components.length];
    for (int i = 0; previous != null && i < Math.min(c.length, previous.length); i++) {
      double dot = 0;
      for (int j = 0; j < n; j++) {
        dot += components[i][j] * previous[i][j];
      }
      c[i] = Math.abs(dot);
    }
    return c;
  }

  /** The singular values S_i of the kept components. */
  public double[] singularValues() {
    return singular == null ? null : singular.clone();
  }

  /** Whether there was an earlier update to compare with (the convergence check needs two). */
  public boolean hasPrevious() {
    return previous != null;
  }

  public long count() {
    return count;
  }

  public double[] mean() {
    return mean.clone();
  }
}
