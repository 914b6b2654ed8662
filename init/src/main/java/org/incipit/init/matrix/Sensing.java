package org.incipit.init.matrix;

import org.incipit.init.linalg.Mat;
import org.incipit.tensor.Rng;

/**
 * A linear measurement operator 𝒜: R^{n₁×n₂} → R^m, 𝒜(X)ᵢ = ⟨Aᵢ, X⟩, with Gaussian sensing
 * matrices, and its scaled adjoint 𝒜*(r) = (1/m)·Σᵢ rᵢ·Aᵢ. With Aᵢ of i.i.d. N(0, 1) entries
 * E[𝒜*𝒜(X)] = X, so 𝒜*𝒜 ≈ I (near-isotropic; the RIP of the matrix-sensing papers).
 *
 * <p>{@link #symmetricGaussian} draws Aᵢ = (Gᵢ + Gᵢᵀ)/2: for a symmetric X it keeps ⟨Aᵢ, X⟩ =
 * ⟨Gᵢ, X⟩, so E[𝒜*𝒜(X)] = X on symmetric matrices, and every Aᵢ is symmetric (as in Ma &amp;
 * Fattahi's robust recovery of a PSD X*).
 *
 * @param a the m sensing matrices, row i = vec(Aᵢ) row-major, (m, n₁·n₂)
 */
public record Sensing(double[] a, int m, int n1, int n2) {
  public Sensing {
    if (m < 1 || n1 < 1 || n2 < 1 || a.length != (long) m * n1 * n2) {
      throw new IllegalArgumentException("Sensing: " + a.length + " values are not m = " + m
          + " matrices of (" + n1 + ", " + n2 + ")");
    }
  }

  /** m matrices (n₁, n₂) of i.i.d. N(0, 1) entries. */
  public static Sensing gaussian(int m, int n1, int n2, Rng rng) {
    if (m < 1 || n1 < 1 || n2 < 1) {
      throw new IllegalArgumentException("Sensing.gaussian: m, n1, n2 must be ≥ 1, got " + m + ", " + n1 + ", " + n2);
    }
    return new Sensing(rng.normal(m * n1 * n2), m, n1, n2);
  }

  /** m symmetric (n, n) matrices (G + Gᵀ)/2, G of i.i.d. N(0, 1) entries. */
  public static Sensing symmetricGaussian(int m, int n, Rng rng) {
    Sensing g = gaussian(m, n, n, rng);
    double[] s = new double[g.a.length];
    for (int i = 0; i < m; i++) {
      int o = i * n * n;
      for (int p = 0; p < n; p++) {
        for (int q = 0; q < n; q++) {
          s[o + p * n + q] = 0.5 * (g.a[o + p * n + q] + g.a[o + q * n + p]);
        }
      }
    }
    return new Sensing(s, m, n, n);
  }

  /** 𝒜(X) = (⟨A₁, X⟩, …, ⟨A_m, X⟩), X (n₁, n₂). */
  public double[] apply(double[] x) {
    Mat.check("Sensing.apply", x, n1, n2);
    int d = n1 * n2;
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      double s = 0;
      int o = i * d;
      for (int j = 0; j < d; j++) {
        s += a[o + j] * x[j];
      }
      y[i] = s;
    }
    return y;
  }

  /** 𝒜*(r) = (1/m)·Σᵢ rᵢ·Aᵢ, an (n₁, n₂) matrix. */
  public double[] adjoint(double[] r) {
    if (r.length != m) {
      throw new IllegalArgumentException("Sensing.adjoint: " + r.length + " residuals for m = " + m + " measurements");
    }
    int d = n1 * n2;
    double[] x = new double[d];
    for (int i = 0; i < m; i++) {
      double w = r[i] / m;
      if (w == 0) {
        continue;
      }
      int o = i * d;
      for (int j = 0; j < d; j++) {
        x[j] += w * a[o + j];
      }
    }
    return x;
  }

  /**
   * A PSD ground truth X* = V·diag(σ)·Vᵀ of rank σ.length, V (n, r) with orthonormal columns (the
   * Q of a Gaussian matrix, by modified Gram–Schmidt).
   */
  public static double[] psdGroundTruth(int n, double[] sigma, Rng rng) {
    int r = sigma.length;
    if (r < 1 || r > n) {
      throw new IllegalArgumentException("psdGroundTruth: rank " + r + " must be in [1, " + n + "]");
    }
    double[] v = orthonormalColumns(n, r, rng);
    double[] vs = new double[n * r];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < r; j++) {
        vs[i * r + j] = v[i * r + j] * sigma[j];
      }
    }
    return Mat.mulT(vs, v, n, r, n);
  }

  /** (n, r) with orthonormal columns: Gram–Schmidt (applied twice) on a Gaussian matrix. */
  static double[] orthonormalColumns(int n, int r, Rng rng) {
    double[] g = rng.normal(n * r);
    for (int j = 0; j < r; j++) {
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < j; p++) {
          double d = 0;
          for (int i = 0; i < n; i++) {
            d += g[i * r + j] * g[i * r + p];
          }
          for (int i = 0; i < n; i++) {
            g[i * r + j] -= d * g[i * r + p];
          }
        }
      }
      double norm = 0;
      for (int i = 0; i < n; i++) {
        norm += g[i * r + j] * g[i * r + j];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) {
        g[i * r + j] /= norm;
      }
    }
    return g;
  }
}
