package org.incipit.nn.kan;

import java.util.function.DoubleUnaryOperator;

/**
 * Least-squares fit of a KAT rational F = P/Q (m = 5, n = 4) to a target function f on the grid
 * of the official {@code fit.py}: 1000 equally spaced points of [−3, 3]. The official code fits
 * with scipy's {@code curve_fit} from a fixed start; this is our own procedure (no coefficients
 * are copied from its {@code init.json}):
 * <ol>
 *   <li><b>Linearised least squares.</b> P(x) − f(x)·Q(x) is linear in (a, b) once the |·| of Q
 *       is dropped, so minimise Σ_k (P(x_k) − f_k·(1 + Σ_j c_j φ_j(x_k)))² with φ_j = x^j
 *       (form A) or |x|^j (form B) by Householder QR. Form A: the fit is exact for the model when
 *       D = Σ c_j x^j ≥ 0 on the grid (then |D| = D); it is used as a start either way. Form B:
 *       |c_j| = c_j needs c ≥ 0, so columns with a negative c_j are dropped (c_j = 0) and the
 *       problem re-solved until every c_j ≥ 0 (an active-set non-negative least squares);
 *       coefficients left at 0 are then set to 10⁻⁶, because ∂Q/∂b_j = sign(b_j)|x|^j vanishes
 *       at b_j = 0 and the next step could never move them.</li>
 *   <li><b>Gauss–Newton refinement</b> of Σ_k (F(x_k) − f_k)² on the true model, damped
 *       (Levenberg–Marquardt, damping λ·diag(JᵀJ), each step solved by QR of the stacked system,
 *       a step taken only when it lowers the sum of squares), at most {@value #MAX_STEPS} steps.</li>
 * </ol>
 * {@code RationalFitTest} holds every {@link RationalPreset} to a max error below 0.03 on
 * [−3, 3] in both forms (the errors reached are far smaller; the numbers are in that test).
 */
public final class RationalFit {
  private RationalFit() {}

  /** Grid of the fit: {@value #POINTS} points, ends included. */
  public static final int POINTS = 1000;
  public static final double LO = -3;
  public static final double HI = 3;
  static final int MAX_STEPS = 50;
  private static final int N = Rational.NUMERATOR_TERMS;
  private static final int M = Denominator.TERMS;

  /**
   * The outcome of a fit.
   *
   * @param rational the fitted function
   * @param linearisationExact whether the linearised solution already satisfied the model's sign
   *     condition (form A: Σ c_j x^j ≥ 0 on the grid; form B: no coefficient had to be clamped)
   * @param steps accepted Gauss–Newton steps
   * @param rmsError root-mean-square error on the grid
   * @param maxError max |F − f| on the grid
   */
  public record Result(Rational rational, boolean linearisationExact, int steps, double rmsError, double maxError) {}

  /** Fits F to {@code f} on the grid in the given denominator form. */
  public static Result fit(DoubleUnaryOperator f, Denominator form) {
    double[] x = new double[POINTS];
    double[] y = new double[POINTS];
    for (int k = 0; k < POINTS; k++) {
      x[k] = LO + (HI - LO) * k / (POINTS - 1);
      y[k] = f.applyAsDouble(x[k]);
    }
    boolean[] active = {true, true, true, true};
    double[] theta;
    boolean exact = true;
    while (true) {
      theta = linearised(x, y, form, active);
      boolean changed = false;
      for (int j = 0; form == Denominator.SUM_OF_ABS && j < M; j++) {
        if (theta[N + j] < 0) {
          active[j] = false;
          theta[N + j] = 0;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
      exact = false;
    }
    if (form == Denominator.ABS_OF_SUM) {
      for (double xk : x) {
        double d = 0;
        for (int j = M - 1; j >= 0; j--) {
          d = (d + theta[N + j]) * xk;
        }
        exact &= d >= 0;
      }
    } else {
      for (int j = 0; j < M; j++) {
        theta[N + j] = Math.max(theta[N + j], 1e-6);
      }
    }
    int steps = refine(x, y, form, theta);
    Rational r = rational(theta, form);
    double sse = 0;
    double worst = 0;
    for (int k = 0; k < POINTS; k++) {
      double e = r.value(x[k]) - y[k];
      sse += e * e;
      worst = Math.max(worst, Math.abs(e));
    }
    return new Result(r, exact, steps, Math.sqrt(sse / POINTS), worst);
  }

  /** θ = (a₀…a₅, c₁…c₄) minimising ‖P − f·(1 + Σ c_j φ_j)‖ over the active c_j (the others 0). */
  private static double[] linearised(double[] x, double[] y, Denominator form, boolean[] active) {
    int cols = N;
    for (boolean a : active) {
      cols += a ? 1 : 0;
    }
    double[][] a = new double[x.length][cols];
    for (int k = 0; k < x.length; k++) {
      double base = form == Denominator.ABS_OF_SUM ? x[k] : Math.abs(x[k]);
      double pow = 1;
      for (int i = 0; i < N; i++) {
        a[k][i] = pow;
        pow *= x[k];
      }
      double phi = 1;
      int c = N;
      for (int j = 0; j < M; j++) {
        phi *= base;
        if (active[j]) {
          a[k][c++] = -y[k] * phi;
        }
      }
    }
    double[] sol = leastSquares(a, y.clone());
    double[] theta = new double[N + M];
    System.arraycopy(sol, 0, theta, 0, N);
    for (int j = 0, c = N; j < M; j++) {
      theta[N + j] = active[j] ? sol[c++] : 0;
    }
    return theta;
  }

  /** Levenberg–Marquardt on Σ (F(x_k) − y_k)², updating θ in place; returns the accepted steps. */
  private static int refine(double[] x, double[] y, Denominator form, double[] theta) {
    int p = N + M;
    double lambda = 1e-3;
    double[] r = new double[x.length];
    double[][] jac = new double[x.length][p];
    double sse = residuals(x, y, form, theta, r, jac);
    int accepted = 0;
    while (accepted < MAX_STEPS && lambda < 1e10) {
      double[] diag = new double[p];
      for (double[] row : jac) {
        for (int i = 0; i < p; i++) {
          diag[i] += row[i] * row[i];
        }
      }
      double[][] a = new double[x.length + p][];
      double[] rhs = new double[x.length + p];
      for (int k = 0; k < x.length; k++) {
        a[k] = jac[k].clone();
        rhs[k] = -r[k];
      }
      for (int i = 0; i < p; i++) {
        a[x.length + i] = new double[p];
        a[x.length + i][i] = Math.sqrt(lambda * (diag[i] + 1e-12));
      }
      double[] d = leastSquares(a, rhs);
      double[] trial = theta.clone();
      for (int i = 0; i < p; i++) {
        trial[i] += d[i];
      }
      double[] rt = new double[x.length];
      double[][] jt = new double[x.length][p];
      double next = residuals(x, y, form, trial, rt, jt);
      if (next < sse) {
        boolean stalled = sse - next <= 1e-12 * sse;
        System.arraycopy(trial, 0, theta, 0, p);
        System.arraycopy(rt, 0, r, 0, r.length);
        for (int k = 0; k < x.length; k++) {
          jac[k] = jt[k];
        }
        sse = next;
        accepted++;
        lambda = Math.max(lambda / 3, 1e-12);
        if (stalled) {
          break;
        }
      } else {
        lambda *= 4;
      }
    }
    return accepted;
  }

  /** Fills r_k = F(x_k) − y_k and the Jacobian ∂F/∂θ; returns Σ r_k². */
  private static double residuals(double[] x, double[] y, Denominator form, double[] theta, double[] r, double[][] jac) {
    double sse = 0;
    for (int k = 0; k < x.length; k++) {
      double xk = x[k];
      double pv = 0;
      for (int i = N - 1; i >= 0; i--) {
        pv = pv * xk + theta[i];
      }
      double s = 0; // Σ b_j x^j (form A) or Σ |b_j||x|^j (form B)
      double base = form == Denominator.ABS_OF_SUM ? xk : Math.abs(xk);
      for (int j = M - 1; j >= 0; j--) {
        s = (s + (form == Denominator.ABS_OF_SUM ? theta[N + j] : Math.abs(theta[N + j]))) * base;
      }
      double q = 1 + Math.abs(s);
      r[k] = pv / q - y[k];
      sse += r[k] * r[k];
      double pow = 1;
      for (int i = 0; i < N; i++) {
        jac[k][i] = pow / q;
        pow *= xk;
      }
      double dfdq = -pv / (q * q);
      double phi = 1;
      for (int j = 0; j < M; j++) {
        phi *= base;
        double sign = form == Denominator.ABS_OF_SUM ? Math.signum(s) : Math.signum(theta[N + j]);
        jac[k][N + j] = dfdq * sign * phi;
      }
    }
    return sse;
  }

  private static Rational rational(double[] theta, Denominator form) {
    double[] a = new double[N];
    double[] b = new double[M];
    System.arraycopy(theta, 0, a, 0, N);
    System.arraycopy(theta, N, b, 0, M);
    return new Rational(a, b, form);
  }

  /**
   * The least-squares solution of a·z ≈ y for a tall matrix a (rows ≥ columns, full column rank)
   * by Householder QR. Modified: {@code a} and {@code y} are overwritten.
   */
  static double[] leastSquares(double[][] a, double[] y) {
    int m = a.length;
    int n = a[0].length;
    for (int c = 0; c < n; c++) {
      double norm = 0;
      for (int k = c; k < m; k++) {
        norm += a[k][c] * a[k][c];
      }
      norm = Math.sqrt(norm);
      if (norm == 0) {
        throw new ArithmeticException("least squares: column " + c + " is zero (rank-deficient system)");
      }
      double alpha = a[c][c] > 0 ? -norm : norm;
      double[] v = new double[m - c]; // Householder vector: v = column − α e₁
      for (int k = c; k < m; k++) {
        v[k - c] = a[k][c];
      }
      v[0] -= alpha;
      double vv = 0;
      for (double e : v) {
        vv += e * e;
      }
      for (int j = c; j < n; j++) {
        reflect(a, j, c, v, vv);
      }
      double dot = 0;
      for (int k = c; k < m; k++) {
        dot += v[k - c] * y[k];
      }
      for (int k = c; k < m; k++) {
        y[k] -= 2 * dot / vv * v[k - c];
      }
    }
    double[] z = new double[n];
    for (int i = n - 1; i >= 0; i--) { // back substitution with R
      double s = y[i];
      for (int j = i + 1; j < n; j++) {
        s -= a[i][j] * z[j];
      }
      z[i] = s / a[i][i];
    }
    return z;
  }

  /** Column j of a (rows c…) ← (I − 2vvᵀ/vᵀv)·column. */
  private static void reflect(double[][] a, int j, int c, double[] v, double vv) {
    double dot = 0;
    for (int k = c; k < a.length; k++) {
      dot += v[k - c] * a[k][j];
    }
    double f = 2 * dot / vv;
    for (int k = c; k < a.length; k++) {
      a[k][j] -= f * v[k - c];
    }
  }
}
