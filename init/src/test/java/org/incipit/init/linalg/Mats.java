package org.incipit.init.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.incipit.tensor.Rng;

/** Test helpers: random matrices and entrywise comparison with a stated tolerance. */
public final class Mats {
  private Mats() {}

  public static double[][] randn(int m, int n, Rng rng) {
    return Dense.reshape(m, n, rng.normal(m * n));
  }

  /** A = U diag(s) Vᵀ with random orthonormal U (m×k), V (n×k): a matrix with known singular values. */
  public static double[][] withSpectrum(int m, int n, double[] s, Rng rng) {
    double[][] u = Dense.qr(randn(m, s.length, rng.fork("u"))).q();
    double[][] v = Dense.qr(randn(n, s.length, rng.fork("v"))).q();
    return Dense.mul(Dense.columns(u, 0, s.length, s), Dense.transpose(v));
  }

  public static double maxAbs(double[][] a) {
    double m = 0;
    for (double[] row : a) {
      for (double x : row) {
        m = Math.max(m, Math.abs(x));
      }
    }
    return m;
  }

  /** max |a − b| ≤ tol·(1 + max|b|). */
  public static void assertClose(double[][] a, double[][] b, double tol, String what) {
    double err = maxAbs(Dense.combine(1, a, -1, b));
    double bound = tol * (1 + maxAbs(b));
    assertTrue(err <= bound, what + ": max error " + err + " > " + bound);
  }

  public static void assertOrthonormalColumns(double[][] q, double tol, String what) {
    assertClose(Dense.mul(Dense.transpose(q), q), Dense.identity(q[0].length), tol, what + ": QᵀQ = I");
  }
}
