package org.incipit.init.linalg;

/**
 * Dense row-major {@code double[]} matrices: a few products, norms and the symmetric
 * eigen-decomposition (cyclic Jacobi), all in float64 so that errors can be followed down to 1e−15.
 * Shapes are passed explicitly; every method checks that the arrays fit them. The flat-array
 * counterpart of {@link Dense} (SVD, QR on {@code double[][]}); used by the matrix-recovery schemes
 * ({@code org.incipit.init.matrix}). {@link #symmetricEigen} is held by {@code OverparamSensingTest}.
 *
 * <pre>
 *   double[] c = Mat.mul(a, b, m, k, n);     // (m, k)·(k, n) → (m, n)
 *   double[] g = Mat.tmul(f, f, n, k, k);    // Fᵀ·F: (n, k)ᵀ·(n, k) → (k, k)
 * </pre>
 */
public final class Mat {
  private Mat() {}

  /** A·B with A (m, k) and B (k, n). */
  public static double[] mul(double[] a, double[] b, int m, int k, int n) {
    check("mul", a, m, k);
    check("mul", b, k, n);
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double aip = a[i * k + p];
        if (aip == 0) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          c[i * n + j] += aip * b[p * n + j];
        }
      }
    }
    return c;
  }

  /** A·Bᵀ with A (m, k) and B (n, k). */
  public static double[] mulT(double[] a, double[] b, int m, int k, int n) {
    check("mulT", a, m, k);
    check("mulT", b, n, k);
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[i * k + p] * b[j * k + p];
        }
        c[i * n + j] = s;
      }
    }
    return c;
  }

  /** Aᵀ·B with A (k, m) and B (k, n). */
  public static double[] tmul(double[] a, double[] b, int k, int m, int n) {
    check("tmul", a, k, m);
    check("tmul", b, k, n);
    double[] c = new double[m * n];
    for (int p = 0; p < k; p++) {
      for (int i = 0; i < m; i++) {
        double api = a[p * m + i];
        for (int j = 0; j < n; j++) {
          c[i * n + j] += api * b[p * n + j];
        }
      }
    }
    return c;
  }

  /** Aᵀ for A (m, n). */
  public static double[] transpose(double[] a, int m, int n) {
    check("transpose", a, m, n);
    double[] t = new double[a.length];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        t[j * m + i] = a[i * n + j];
      }
    }
    return t;
  }

  /** a − b, elementwise. */
  public static double[] sub(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("Mat.sub: " + a.length + " vs " + b.length + " elements");
    }
    double[] c = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i] - b[i];
    }
    return c;
  }

  /** s·a. */
  public static double[] scale(double[] a, double s) {
    double[] c = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      c[i] = s * a[i];
    }
    return c;
  }

  /** ‖a‖_F = √Σ aᵢ². */
  public static double frobenius(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** ⟨a, b⟩ = Σ aᵢbᵢ. */
  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * The eigen-decomposition S = V·diag(λ)·Vᵀ of a symmetric (k, k) matrix by cyclic Jacobi
   * rotations (Golub &amp; Van Loan, §8.5), swept until the off-diagonal mass is below 1e−30 of the
   * total. Returns {λ (k), V (k, k) row-major, eigenvectors in columns}.
   */
  public static double[][] symmetricEigen(double[] s, int k) {
    check("symmetricEigen", s, k, k);
    double[] a = s.clone();
    double[] v = new double[k * k];
    for (int i = 0; i < k; i++) {
      v[i * k + i] = 1;
    }
    double total = Math.max(frobenius(a), Double.MIN_NORMAL);
    for (int sweep = 0; sweep < 100 && offDiagonal(a, k) > 1e-15 * total; sweep++) {
      for (int p = 0; p < k; p++) {
        for (int q = p + 1; q < k; q++) {
          rotate(a, v, k, p, q);
        }
      }
    }
    double[] lambda = new double[k];
    for (int i = 0; i < k; i++) {
      lambda[i] = a[i * k + i];
    }
    return new double[][] {lambda, v};
  }

  /** One Jacobi rotation that zeroes a[p][q] (and a[q][p]); V accumulates the rotations. */
  private static void rotate(double[] a, double[] v, int k, int p, int q) {
    double apq = a[p * k + q];
    if (apq == 0) {
      return;
    }
    double theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double sn = t * c;
    for (int j = 0; j < k; j++) { // rows p, q of Jᵀ·A
      double ap = a[p * k + j];
      double aq = a[q * k + j];
      a[p * k + j] = c * ap - sn * aq;
      a[q * k + j] = sn * ap + c * aq;
    }
    for (int i = 0; i < k; i++) { // columns p, q of (Jᵀ·A)·J, and of V·J
      double ap = a[i * k + p];
      double aq = a[i * k + q];
      a[i * k + p] = c * ap - sn * aq;
      a[i * k + q] = sn * ap + c * aq;
      double vp = v[i * k + p];
      double vq = v[i * k + q];
      v[i * k + p] = c * vp - sn * vq;
      v[i * k + q] = sn * vp + c * vq;
    }
  }

  private static double offDiagonal(double[] a, int k) {
    double s = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        s += i == j ? 0 : a[i * k + j] * a[i * k + j];
      }
    }
    return Math.sqrt(s);
  }

  public static void check(String op, double[] a, int rows, int cols) {
    if (rows < 0 || cols < 0 || a.length != (long) rows * cols) {
      throw new IllegalArgumentException("Mat." + op + ": an array of " + a.length + " elements is not ("
          + rows + ", " + cols + ")");
    }
  }
}
