package org.incipit.init.linalg;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;

/**
 * Dense linear algebra in double precision, the one place for it in {@code init}: matrices are
 * {@code double[rows][cols]}, never aliased by a result (every method returns a fresh array and
 * leaves its arguments unmodified, except {@link #orthogonalizeColumns}, which works in place).
 * Row-major flat {@code double[]} matrices and the symmetric eigen-decomposition are in {@link Mat}.
 *
 * <p>EJML ships here only in single precision ({@code ejml-fdense}), whose SVD is good to ~1e−6
 * relative — the very tolerance of {@code ../shared/fixtures/lora_inits.json}, and far from the
 * 1e−12 of the HiPPO-LegS spectrum in {@code init_schemes.json} — so the SVD is a one-sided Jacobi
 * (Hestenes) rotation sweep and the QR a Householder reduction, both in double.
 * <pre>
 * SVD:  A = U diag(S) Vᵀ,  U m×k, V n×k, k = min(m, n), S₁ ≥ S₂ ≥ … ≥ S_k ≥ 0,  UᵀU = VᵀV = I
 * QR:   A = Q R,           Q m×k with QᵀQ = I, R k×n upper triangular (torch.linalg.qr's "reduced")
 * </pre>
 * Zero singular values get left vectors completed to an orthonormal basis, so U is orthonormal even
 * for rank-deficient A. Used by the LoRA-family initializations ({@code org.incipit.init.lora}) and
 * by {@code HippoLegS}. Held by {@code DenseTest} (reconstruction, orthonormality, order, against
 * hand-derived cases), {@code HippoLegSTest} and {@code S4DFixtureTest} (1e−12 against numpy).
 */
public final class Dense {
  private static final int MAX_SWEEPS = 80;

  private Dense() {}

  /** A thin SVD: {@code u} m×k, {@code s} descending, {@code v} n×k (so A = U diag(S) Vᵀ). */
  public record Svd(double[][] u, double[] s, double[][] v) {}

  /** A reduced QR: {@code q} m×k with orthonormal columns, {@code r} k×n upper triangular. */
  public record Qr(double[][] q, double[][] r) {}

  /** The 2-D tensor {@code t} as a fresh double matrix; {@code who} names the caller in errors. */
  public static double[][] of(Tensor t, String who) {
    if (t.rank() != 2) {
      throw new IllegalArgumentException(who + ": expected a matrix (2-D tensor), got shape " + t.shape());
    }
    return reshape(t.size(0), t.size(1), t.toDoubles());
  }

  /** {@code a} as a CPU tensor of {@code dtype}. */
  public static Tensor tensor(double[][] a, DType dtype) {
    int m = a.length;
    int n = m == 0 ? 0 : a[0].length;
    double[] flat = new double[m * n];
    for (int i = 0; i < m; i++) {
      System.arraycopy(a[i], 0, flat, i * n, n);
    }
    return Tensors.of(dtype, flat, m, n);
  }

  public static double[][] transpose(double[][] a) {
    int m = a.length;
    int n = a[0].length;
    double[][] t = new double[n][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  /** A·B. */
  public static double[][] mul(double[][] a, double[][] b) {
    int m = a.length;
    int k = b.length;
    int n = b[0].length;
    if (a[0].length != k) {
      throw new IllegalArgumentException("dense mul: inner dimensions differ: " + m + "x" + a[0].length + " @ " + k + "x" + n);
    }
    double[][] c = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double aip = a[i][p];
        for (int j = 0; j < n; j++) {
          c[i][j] += aip * b[p][j];
        }
      }
    }
    return c;
  }

  /** α·A + β·B. */
  public static double[][] combine(double alpha, double[][] a, double beta, double[][] b) {
    double[][] c = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        c[i][j] = alpha * a[i][j] + beta * b[i][j];
      }
    }
    return c;
  }

  /** c·A. */
  public static double[][] scale(double c, double[][] a) {
    double[][] out = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        out[i][j] = c * a[i][j];
      }
    }
    return out;
  }

  /** Columns {@code from..to-1} of {@code a}, each multiplied by {@code scale[j − from]} (null = 1). */
  public static double[][] columns(double[][] a, int from, int to, double[] scale) {
    double[][] c = new double[a.length][to - from];
    for (int i = 0; i < a.length; i++) {
      for (int j = from; j < to; j++) {
        c[i][j - from] = a[i][j] * (scale == null ? 1 : scale[j - from]);
      }
    }
    return c;
  }

  /** ‖A‖_F². */
  public static double frobenius2(double[][] a) {
    double s = 0;
    for (double[] row : a) {
      for (double v : row) {
        s += v * v;
      }
    }
    return s;
  }

  /** The row-major {@code values} (rows·cols of them) as a fresh rows×cols matrix. */
  public static double[][] reshape(int rows, int cols, double[] values) {
    if (values.length != rows * cols) {
      throw new IllegalArgumentException("dense reshape: " + values.length + " values do not fill " + rows + "x" + cols);
    }
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(values, i * cols, out[i], 0, cols);
    }
    return out;
  }

  /** The n×n identity. */
  public static double[][] identity(int n) {
    double[][] e = new double[n][n];
    for (int i = 0; i < n; i++) {
      e[i][i] = 1;
    }
    return e;
  }

  /** trunc_r(A) = U_r diag(S_r) V_rᵀ, the best rank-r approximation (Eckart–Young). */
  public static double[][] truncate(double[][] a, int r) {
    Svd d = svd(a);
    return mul(columns(d.u(), 0, r, d.s()), transpose(columns(d.v(), 0, r, null)));
  }

  /** The thin SVD of {@code a} (one-sided Jacobi on the taller orientation). */
  public static Svd svd(double[][] a) {
    int m = a.length;
    int n = a[0].length;
    if (m < n) {
      Svd t = svd(transpose(a));
      return new Svd(t.v(), t.s(), t.u());
    }
    double[][] w = new double[m][];
    for (int i = 0; i < m; i++) {
      w[i] = a[i].clone();
    }
    double[][] v = identity(n);
    orthogonalizeColumns(w, v, MAX_SWEEPS); // still rotating after 80 sweeps: the result is used as it stands
    double[] s = new double[n];
    for (int j = 0; j < n; j++) {
      s[j] = columnNorm(w, j);
    }
    Integer[] order = new Integer[n];
    for (int j = 0; j < n; j++) {
      order[j] = j;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
    double[][] u = new double[m][n];
    double[][] vs = new double[n][n];
    double[] ss = new double[n];
    double tiny = (s[order[0]] == 0 ? 1 : s[order[0]]) * 1e-13 * Math.max(m, n);
    for (int k = 0; k < n; k++) {
      int j = order[k];
      ss[k] = s[j] <= tiny ? 0 : s[j];
      for (int i = 0; i < n; i++) {
        vs[i][k] = v[i][j];
      }
      for (int i = 0; i < m; i++) {
        u[i][k] = ss[k] == 0 ? 0 : w[i][j] / s[j];
      }
    }
    completeBasis(u, ss);
    return new Svd(u, ss, vs);
  }

  /**
   * One-sided (Hestenes) Jacobi, in place: rotates column pairs of {@code w}, and the same rotations
   * on the columns of {@code v}, until every pair is orthogonal to 1e−15 relative (W ← W·J, V ← V·J).
   * Started from V = I it leaves W = A·V with orthogonal columns, whose norms are A's singular values.
   * Returns false when {@code maxSweeps} sweeps did not reach that (the caller decides if that is an error).
   */
  public static boolean orthogonalizeColumns(double[][] w, double[][] v, int maxSweeps) {
    int m = w.length;
    int n = w[0].length;
    for (int sweep = 0; sweep < maxSweeps; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double alpha = 0;
          double beta = 0;
          double gamma = 0;
          for (int i = 0; i < m; i++) {
            alpha += w[i][p] * w[i][p];
            beta += w[i][q] * w[i][q];
            gamma += w[i][p] * w[i][q];
          }
          if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma == 0) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(1 + t * t);
          double sn = c * t;
          rotate(w, p, q, c, sn);
          rotate(v, p, q, c, sn);
        }
      }
      if (!rotated) {
        return true;
      }
    }
    return false;
  }

  /** ‖column j of A‖₂. */
  public static double columnNorm(double[][] a, int j) {
    double s = 0;
    for (double[] row : a) {
      s += row[j] * row[j];
    }
    return Math.sqrt(s);
  }

  /** ⟨column j of A, x⟩. */
  public static double columnDot(double[][] a, int j, double[] x) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i][j] * x[i];
    }
    return s;
  }

  private static void rotate(double[][] a, int p, int q, double c, double s) {
    for (double[] row : a) {
      double x = row[p];
      double y = row[q];
      row[p] = c * x - s * y;
      row[q] = s * x + c * y;
    }
  }

  /** Fills the columns of {@code u} whose singular value is 0 with unit vectors orthogonal to the rest. */
  private static void completeBasis(double[][] u, double[] s) {
    int m = u.length;
    int e = 0;
    for (int k = 0; k < s.length; k++) {
      if (s[k] != 0) {
        continue;
      }
      while (e < m) {
        double[] cand = new double[m];
        cand[e++] = 1;
        for (int j = 0; j < s.length; j++) {
          if (j == k || (s[j] == 0 && j > k)) {
            continue;
          }
          double dot = 0;
          for (int i = 0; i < m; i++) {
            dot += u[i][j] * cand[i];
          }
          for (int i = 0; i < m; i++) {
            cand[i] -= dot * u[i][j];
          }
        }
        double norm = 0;
        for (double c : cand) {
          norm += c * c;
        }
        if (norm > 1e-6) {
          for (int i = 0; i < m; i++) {
            u[i][k] = cand[i] / Math.sqrt(norm);
          }
          break;
        }
      }
    }
  }

  /** The reduced QR of {@code a} by Householder reflections (R's diagonal may have either sign, as LAPACK's). */
  public static Qr qr(double[][] a) {
    int m = a.length;
    int n = a[0].length;
    int k = Math.min(m, n);
    double[][] r = new double[m][];
    for (int i = 0; i < m; i++) {
      r[i] = a[i].clone();
    }
    double[][] vs = new double[k][];
    for (int c = 0; c < k; c++) {
      double norm = 0;
      for (int i = c; i < m; i++) {
        norm += r[i][c] * r[i][c];
      }
      norm = Math.sqrt(norm);
      double alpha = r[c][c] > 0 ? -norm : norm;
      double[] v = new double[m];
      for (int i = c; i < m; i++) {
        v[i] = r[i][c];
      }
      v[c] -= alpha;
      double vv = 0;
      for (int i = c; i < m; i++) {
        vv += v[i] * v[i];
      }
      vs[c] = v;
      if (vv == 0) {
        continue; // the column is already zero below the diagonal
      }
      reflect(r, v, vv, c);
    }
    double[][] q = accumulateQ(vs, m, k);
    double[][] rk = new double[k][n];
    for (int i = 0; i < k; i++) {
      for (int j = i; j < n; j++) {
        rk[i][j] = r[i][j];
      }
    }
    return new Qr(q, rk);
  }

  /** Q (m×k) = H₀ H₁ … H_{k−1} applied to the first k columns of the identity. */
  private static double[][] accumulateQ(double[][] vs, int m, int k) {
    double[][] q = new double[m][k];
    for (int j = 0; j < k; j++) {
      q[j][j] = 1;
    }
    for (int c = k - 1; c >= 0; c--) {
      double vv = 0;
      for (int i = c; i < m; i++) {
        vv += vs[c][i] * vs[c][i];
      }
      if (vv != 0) {
        reflect(q, vs[c], vv, c);
      }
    }
    return q;
  }

  /** Applies H = I − 2vvᵀ/(vᵀv) to the rows {@code from..} of {@code a}, in place. */
  private static void reflect(double[][] a, double[] v, double vv, int from) {
    int n = a[0].length;
    for (int j = 0; j < n; j++) {
      double dot = 0;
      for (int i = from; i < a.length; i++) {
        dot += v[i] * a[i][j];
      }
      double f = 2 * dot / vv;
      for (int i = from; i < a.length; i++) {
        a[i][j] -= f * v[i];
      }
    }
  }
}
