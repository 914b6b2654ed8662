package org.incipit.tests.schemes;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.VocabularyExpansion;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.testkit.Cdf;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/**
 * The random rows of {@link VocabularyExpansion} have their declared distributions: univariate rows
 * N(μ_j, σ_j²) per dimension (mean, χ² variance and Kolmogorov–Smirnov per coordinate), Hewitt's
 * multivariate rows N(μ, c·Σ) along random directions a (aᵀe ~ N(aᵀμ, c·aᵀΣa), which checks the
 * whole covariance, not only its diagonal). E is a fixed 12×5 table with correlated columns,
 * k = 4000 samples, seeds pinned; each check has false-alarm probability α = 1e−6.
 */
class VocabularyExpansionSampleTest {
  private static final int K = 4000;
  private static final double ALPHA = SampleCheck.DEFAULT_ALPHA;

  /** 12 rows, 5 columns; column 1 is column 0 plus noise, so Σ is far from diagonal. */
  private static double[][] rows() {
    double[] z = Rng.seeded(11).normal(12 * 5);
    double[][] e = new double[12][5];
    for (int i = 0; i < 12; i++) {
      for (int j = 0; j < 5; j++) {
        e[i][j] = 0.5 * j + z[i * 5 + j];
      }
      e[i][1] = e[i][0] + 0.3 * e[i][1];
    }
    return e;
  }

  private static Tensor table(double[][] e) {
    double[] flat = new double[e.length * e[0].length];
    for (int i = 0; i < e.length; i++) {
      System.arraycopy(e[i], 0, flat, i * e[0].length, e[0].length);
    }
    return Tensors.of(DType.F64, flat, e.length, e[0].length);
  }

  private static double[] mean(double[][] e) {
    double[] mu = new double[e[0].length];
    for (double[] row : e) {
      for (int j = 0; j < mu.length; j++) {
        mu[j] += row[j] / e.length;
      }
    }
    return mu;
  }

  /** Σ = (E − μ)ᵀ(E − μ)/n, the population covariance. */
  private static double[][] covariance(double[][] e) {
    double[] mu = mean(e);
    int d = mu.length;
    double[][] s = new double[d][d];
    for (double[] row : e) {
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          s[a][b] += (row[a] - mu[a]) * (row[b] - mu[b]) / e.length;
        }
      }
    }
    return s;
  }

  private static double[] column(double[] flat, int d, int j) {
    double[] c = new double[flat.length / d];
    for (int i = 0; i < c.length; i++) {
      c[i] = flat[i * d + j];
    }
    return c;
  }

  @Test
  void univariateRowsAreNormalPerDimension() {
    double[][] e = rows();
    double[] mu = mean(e);
    double[][] sigma = covariance(e);
    double[] samples = VocabularyExpansion.univariate(table(e), K, Rng.seeded(21)).toDoubles();
    for (int j = 0; j < mu.length; j++) {
      double[] x = column(samples, mu.length, j);
      double std = Math.sqrt(sigma[j][j]);
      SampleCheck.assertMean(x, mu[j], std, ALPHA);
      SampleCheck.assertVariance(x, sigma[j][j], SampleCheck.NORMAL_KURTOSIS, ALPHA);
      SampleCheck.assertDistribution(x, Cdf.normal(mu[j], std), ALPHA);
    }
  }

  @Test
  void multivariateRowsHaveCovarianceCTimesSigma() {
    double[][] e = rows();
    double[] mu = mean(e);
    double[][] sigma = covariance(e);
    int d = mu.length;
    double c = 0.3; // a visible scale; the sampler is the same for Hewitt's 1e−5
    double[] samples = VocabularyExpansion.multivariate(table(e), K, c, Rng.seeded(22)).toDoubles();
    double[] dirs = Rng.seeded(23).normal(6 * d);
    for (int t = 0; t < 6; t++) {
      double m = 0;
      double v = 0;
      for (int a = 0; a < d; a++) {
        m += dirs[t * d + a] * mu[a];
        for (int b = 0; b < d; b++) {
          v += c * dirs[t * d + a] * sigma[a][b] * dirs[t * d + b];
        }
      }
      double[] proj = new double[K];
      for (int i = 0; i < K; i++) {
        for (int a = 0; a < d; a++) {
          proj[i] += dirs[t * d + a] * samples[i * d + a];
        }
      }
      SampleCheck.assertMean(proj, m, Math.sqrt(v), ALPHA);
      SampleCheck.assertVariance(proj, v, SampleCheck.NORMAL_KURTOSIS, ALPHA);
      SampleCheck.assertDistribution(proj, Cdf.normal(m, Math.sqrt(v)), ALPHA);
    }
  }
}
