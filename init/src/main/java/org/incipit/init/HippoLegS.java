package org.incipit.init;

import java.util.Arrays;
import org.incipit.init.linalg.Dense;

/**
 * The normal part of the HiPPO-LegS matrix and its spectrum, the source of S4D-LegS (Gu, Gupta,
 * Goel, Ré 2022, "On the Parameterization and Initialization of Diagonal State Space Models",
 * arXiv:2206.11893, §4; HiPPO: Gu, Dao, Ermon, Rudra, Ré 2020, arXiv:2008.07669; matrices as in
 * state-spaces/s4 {@code src/models/hippo/hippo.py}, {@code transition('legs')} and {@code nplr}).
 *
 * <pre>
 * HiPPO-LegS (n, k = 0 … N−1):  A_nk = −√(2n+1)·√(2k+1)  (n &gt; k),   −(n+1)  (n = k),   0  (n &lt; k)
 *                               B_n  = √(2n+1)
 * rank-1 correction:            P_n  = √(n + ½)
 * normal part:                  A + PPᵀ = −½·I + S,   S_nk = −½·√(2n+1)·√(2k+1)·sign(n − k)
 * </pre>
 * S is real skew-symmetric, so A + PPᵀ is normal with eigenvalues −½ ± i·ω_j (every real part
 * exactly −½) and S has the singular values ω_j, each twice. S4D-LegS keeps the N/2 eigenvalues
 * −½ + i·ω_j with ω_j &gt; 0 (the reference keeps −½ − iω and stores −Im, the same numbers).
 *
 * <p>How they are computed: a one-sided (Hestenes) Jacobi SVD of S in double precision
 * ({@link Dense#orthogonalizeColumns}, the rotation sweep of {@link Dense#svd}), whose
 * singular values are accurate to about ε·‖S‖ (≈ 1e−13 at N = 64), which the fixture's 1e−12
 * tolerance needs. EJML would be the project's choice for a decomposition, but only its float32
 * module ({@code ejml-fdense}) is on the classpath and no dependency may be added; float32 gives
 * 1e−7, so {@code HippoLegSTest} uses EJML only as an independent float32 cross-check.
 *
 * <p>The input matrix B in the eigenbasis: for the pair of right singular vectors u, v spanning
 * the invariant plane of ω_j, the eigenvector of −iω_j is w = (u + i·v)/√2 up to a phase, and
 * B̃_j = wᴴB. Its phase is arbitrary (LAPACK picks one; the reference then clips Im B̃ to ±2, a
 * step that depends on that arbitrary phase). Here B̃_j = |wᴴB| = √(((uᵀB)² + (vᵀB)²)/2), real and
 * non-negative, so no clipping applies; since S4D's C is circularly symmetric (Re, Im i.i.d.), the
 * distribution of C·B̃ does not depend on the phase. Parseval: 2·Σ_j B̃_j² = ‖B‖² = N².
 *
 * <p>Held by {@code HippoLegSTest} (init) and {@code S4DFixtureTest} (tests: the {@code legs_imag}
 * values of {@code fixtures/init_schemes.json} to 1e−12 relative).
 */
public final class HippoLegS {
  private static final int MAX_SWEEPS = 60;

  private HippoLegS() {}

  /** The HiPPO-LegS state matrix A (N × N, row-major). */
  public static double[][] a(int n) {
    check(n);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k <= i; k++) {
        a[i][k] = i == k ? -(i + 1) : -Math.sqrt(2.0 * i + 1) * Math.sqrt(2.0 * k + 1);
      }
    }
    return a;
  }

  /** The HiPPO-LegS input vector B_n = √(2n+1). */
  public static double[] b(int n) {
    check(n);
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = Math.sqrt(2.0 * i + 1);
    }
    return b;
  }

  /** The normal part A + PPᵀ with P_n = √(n + ½) (N × N, row-major). */
  public static double[][] normalPart(int n) {
    double[][] ap = a(n);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        ap[i][k] += Math.sqrt(i + 0.5) * Math.sqrt(k + 0.5);
      }
    }
    return ap;
  }

  /** S = A + PPᵀ + ½I from its closed form, S_nk = −½·√(2n+1)·√(2k+1)·sign(n − k): exactly skew-symmetric. */
  public static double[][] skewPart(int n) {
    check(n);
    double[][] s = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < i; k++) {
        s[i][k] = -0.5 * Math.sqrt(2.0 * i + 1) * Math.sqrt(2.0 * k + 1);
        s[k][i] = -s[i][k];
      }
    }
    return s;
  }

  /** The spectrum kept by S4D-LegS: ω (ascending, N/2 values) and B̃ = |wᴴB| for each. */
  public record Spectrum(double[] imag, double[] b) {}

  /** ω_j &gt; 0 and B̃_j for the N/2 eigenvalues −½ + iω_j of the normal part, N even. */
  public static Spectrum spectrum(int n) {
    check(n);
    if (n % 2 != 0) {
      throw new IllegalArgumentException("hippo-legs: the state size N must be even (N/2 conjugate pairs), got " + n);
    }
    double[][] s = skewPart(n);
    double[][] v = Dense.identity(n);
    if (!Dense.orthogonalizeColumns(s, v, MAX_SWEEPS)) {
      throw new IllegalStateException("hippo-legs: the Jacobi SVD did not converge in " + MAX_SWEEPS + " sweeps");
    }
    Integer[] order = new Integer[n];
    double[] sigma = new double[n];
    for (int j = 0; j < n; j++) {
      order[j] = j;
      sigma[j] = Dense.columnNorm(s, j);
    }
    Arrays.sort(order, (p, q) -> Double.compare(sigma[p], sigma[q]));
    double[] bIn = b(n);
    double[] imag = new double[n / 2];
    double[] bOut = new double[n / 2];
    for (int j = 0; j < n / 2; j++) {
      int p = order[2 * j];
      int q = order[2 * j + 1];
      imag[j] = 0.5 * (sigma[p] + sigma[q]);
      double up = Dense.columnDot(v, p, bIn);
      double uq = Dense.columnDot(v, q, bIn);
      bOut[j] = Math.sqrt((up * up + uq * uq) / 2);
    }
    return new Spectrum(imag, bOut);
  }

  private static void check(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("hippo-legs: the state size N must be ≥ 1, got " + n);
    }
  }
}
