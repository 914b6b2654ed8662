package org.incipit.init.lora;

import org.incipit.init.linalg.Dense;
import org.incipit.tensor.Rng;

/**
 * PEFT's {@code init_lora_weights} choices as pure functions of a weight W0 (m×n, out×in), the rank
 * r, α (s = α/r) and, where the scheme needs them, a gradient, an input covariance or an
 * {@link Rng}. Conventions: ΔW = s·B·A, B m×r, A r×n; "residual" means the base becomes W0 − s·B·A
 * so that outputs are unchanged at init. Read from PEFT (main at commit 5d602fd, {@code
 * tuners/lora/layer.py}: {@code reset_lora_parameters}, {@code pissa_init}, {@code olora_init},
 * {@code orthogonal_init}, {@code corda_init}, {@code lora_ga_init}, {@code mica_init}).
 * <pre>
 * default    A ~ U(±1/√n) (kaiming_uniform, a = √5),  B = 0                      BA = 0
 * gaussian   A ~ N(0, (1/r)²),  B = 0                                          BA = 0
 * PiSSA      W0 = U S Vᵀ;  B = U_r √(S_r/s),  A = √(S_r/s) V_rᵀ;  residual      s·BA = trunc_r(W0)
 * OLoRA      W0 = Q R;     B = Q[:, :r],  A = R[:r, :];  residual
 * orthogonal Q ∈ O(r) random;  A = (G₁ Q[0::2])ᵀ/10,  B = G₂ᵀ Q[1::2]/10,  G ~ N(0,1)   BA = 0 exactly
 * LoRA-GA    G = U S Vᵀ;  A = V_{1..r}ᵀ·ζ,  B = U_{r+1..2r}·ζ,  ζ = m^¼/√γ;  residual
 * CorDA      C = E[xxᵀ] + δI;  W0 C = U S V̂ᵀ;  V = C⁻¹ V̂;  IPM: top r, KPM: bottom r;
 *            B = U √(S/s),  A = √(S/s) Vᵀ;  residual
 * MiCA       B = the r left singular vectors of W0 with the smallest singular values,  A = 0,
 *            B frozen                                                          BA = 0
 * </pre>
 * Papers: PiSSA — Meng, Wang, Zhang 2024, "PiSSA: Principal Singular Values and Singular Vectors
 * Adaptation of Large Language Models", arXiv:2404.02948. OLoRA — Büyükakyüz 2024, "OLoRA:
 * Orthonormal Low-Rank Adaptation of Large Language Models", arXiv:2406.01775. LoRA-GA — Wang, Yu,
 * Li 2024, "LoRA-GA: Low-Rank Adaptation with Gradient Approximation", arXiv:2407.05000. CorDA —
 * Yang et al. 2024, "CorDA: Context-Oriented Decomposition Adaptation of Large Language Models",
 * arXiv:2406.05223. MiCA — "Minor Component Adaptation" (PEFT's {@code mica}). LoRA — Hu et al.
 * 2021, arXiv:2106.09685.
 *
 * <p>Choices where a source is silent or the sources differ: all SVDs are exact (PEFT's
 * {@code pissa_niter_k} and LoRA-GA's {@code svd_lowrank} are randomized approximations of the same
 * quantities). LoRA-GA's B is U_{r+1..2r} without singular values and both factors take the
 * "stable" scale m^¼/√γ (γ = 16), as the LoRA-GA paper writes it; the spec's note "B = U·diag(S)"
 * could not be confirmed in a source and is not followed. CorDA's damping δ = 0.01·mean(diag C) is
 * added once (PEFT doubles it only while C + δI fails to invert; with an exact symmetric
 * eigendecomposition here, once is enough unless C is singular, which throws). MiCA for m &gt; n
 * takes the smallest of the min(m, n) singular directions of the thin SVD.
 *
 * <p>Held by {@code PeftInitsTest} (residual = unchanged outputs, BA = 0, s·BA = trunc_r(W0),
 * orthonormal B for OLoRA, LoRA-GA's factors on a known gradient) and by the {@code pissa},
 * {@code olora} and {@code mica} cases of {@code ../shared/fixtures/lora_inits.json}.
 */
public final class PeftInits {
  private PeftInits() {}

  /** PEFT's default: A ~ U(±1/√n), B = 0 (for embeddings PEFT swaps the roles: A = 0, B ~ N(0, 1)). */
  public static LowRankFactors kaimingDefault(double[][] w0, int r, Rng rng) {
    int n = check("default", w0, r)[1];
    double bound = 1 / Math.sqrt(n);
    return new LowRankFactors(new double[w0.length][r], Dense.reshape(r, n, rng.uniform(r * n, -bound, bound)), copy(w0));
  }

  /** {@code "gaussian"}: A ~ N(0, (1/r)²), B = 0. */
  public static LowRankFactors gaussian(double[][] w0, int r, Rng rng) {
    int n = check("gaussian", w0, r)[1];
    return new LowRankFactors(new double[w0.length][r], Dense.reshape(r, n, rng.normal(r * n, 0, 1.0 / r)), copy(w0));
  }

  /** {@code "pissa"}: the principal r singular triplets, split evenly between A and B; residual. */
  public static LowRankFactors pissa(double[][] w0, int r, double alpha) {
    check("pissa", w0, r);
    double s = alpha / r;
    Dense.Svd d = Dense.svd(w0);
    double[] root = new double[r];
    for (int i = 0; i < r; i++) {
      root[i] = Math.sqrt(d.s()[i] / s);
    }
    double[][] b = Dense.columns(d.u(), 0, r, root);
    double[][] a = Dense.transpose(Dense.columns(d.v(), 0, r, root));
    return residual(b, a, w0, s);
  }

  /** {@code "olora"}: B = Q[:, :r], A = R[:r] from W0 = QR; residual. */
  public static LowRankFactors olora(double[][] w0, int r, double alpha) {
    check("olora", w0, r);
    Dense.Qr qr = Dense.qr(w0);
    double[][] b = Dense.columns(qr.q(), 0, r, null);
    double[][] a = new double[r][];
    for (int i = 0; i < r; i++) {
      a[i] = qr.r()[i].clone();
    }
    return residual(b, a, w0, alpha / r);
  }

  /** {@code "orthogonal"} (r even): BA = 0 exactly because B and A use disjoint rows of one orthogonal Q. */
  public static LowRankFactors orthogonal(double[][] w0, int r, Rng rng) {
    int[] mn = check("orthogonal", w0, r);
    if (r % 2 != 0) {
      throw new IllegalArgumentException("lora init orthogonal: the rank must be even, got " + r);
    }
    double[][] q = Dense.qr(Dense.reshape(r, r, rng.fork("q").normal(r * r))).q();
    double[][] odd = new double[r / 2][];
    double[][] even = new double[r / 2][];
    for (int i = 0; i < r / 2; i++) {
      odd[i] = q[2 * i];
      even[i] = q[2 * i + 1];
    }
    double[][] a = Dense.transpose(Dense.mul(Dense.reshape(mn[1], r / 2, rng.fork("a").normal(mn[1] * r / 2)), odd));
    double[][] b = Dense.mul(Dense.reshape(mn[0], r / 2, rng.fork("b").normal(mn[0] * r / 2)), even);
    return new LowRankFactors(Dense.scale(0.1, b), Dense.scale(0.1, a), copy(w0));
  }

  /** {@code "lora_ga"}: A = V_{1..r}ᵀ ζ, B = U_{r+1..2r} ζ from the SVD of the averaged gradient G; residual. */
  public static LowRankFactors loraGa(double[][] w0, double[][] grad, int r, double alpha, double gamma) {
    int[] mn = check("lora_ga", w0, r);
    sameShape("lora_ga", w0, grad, "gradient");
    if (2 * r > Math.min(mn[0], mn[1])) {
      throw new IllegalArgumentException("lora init lora_ga: needs 2r ≤ min(m, n), got r = " + r + " for " + mn[0] + "x" + mn[1]);
    }
    Dense.Svd d = Dense.svd(grad);
    double zeta = Math.pow(mn[0], 0.25) / Math.sqrt(gamma);
    double[] scale = new double[r];
    java.util.Arrays.fill(scale, zeta);
    double[][] a = Dense.transpose(Dense.columns(d.v(), 0, r, scale));
    double[][] b = Dense.columns(d.u(), r, 2 * r, scale);
    return residual(b, a, w0, alpha / r);
  }

  /**
   * {@code "corda"}: the SVD of W0·C in the metric of the input covariance C (n×n); IPM keeps the
   * top r directions (knowledge of the task's context), KPM ({@code kpm} true) the bottom r
   * (preserving what the inputs use most). Residual.
   */
  public static LowRankFactors corda(double[][] w0, double[][] cov, int r, double alpha, boolean kpm) {
    int[] mn = check("corda", w0, r);
    if (cov.length != mn[1] || cov[0].length != mn[1]) {
      throw new IllegalArgumentException("lora init corda: the covariance must be " + mn[1] + "x" + mn[1] + " (the input"
          + " width), got " + cov.length + "x" + cov[0].length);
    }
    double[][] c = damped(cov);
    double[][] cInv = symmetricInverse(c);
    Dense.Svd d = Dense.svd(Dense.mul(w0, c));
    int k = d.s().length;
    int from = kpm ? k - r : 0;
    double s = alpha / r;
    double[] root = new double[r];
    for (int i = 0; i < r; i++) {
      root[i] = Math.sqrt(d.s()[from + i] / s);
    }
    double[][] b = Dense.columns(d.u(), from, from + r, root);
    double[][] v = Dense.mul(cInv, Dense.columns(d.v(), from, from + r, root)); // (n, r) = C⁻¹ V̂ √(S/s)
    return residual(b, Dense.transpose(v), w0, s);
  }

  /** {@code "mica"}: B = the r minor left singular directions of W0, A = 0 (B is meant to stay frozen). */
  public static LowRankFactors mica(double[][] w0, int r) {
    int n = check("mica", w0, r)[1];
    Dense.Svd d = Dense.svd(w0);
    int k = d.s().length;
    return new LowRankFactors(Dense.columns(d.u(), k - r, k, null), new double[r][n], copy(w0));
  }

  static LowRankFactors residual(double[][] b, double[][] a, double[][] w0, double s) {
    return new LowRankFactors(b, a, Dense.combine(1, w0, -s, Dense.mul(b, a)));
  }

  /** C + 0.01·mean(diag C)·I. */
  static double[][] damped(double[][] cov) {
    int n = cov.length;
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += cov[i][i] / n;
    }
    double[][] c = copy(cov);
    for (int i = 0; i < n; i++) {
      c[i][i] += 0.01 * mean;
    }
    return c;
  }

  /** C⁻¹ for symmetric positive definite C, from its SVD (= eigendecomposition). */
  static double[][] symmetricInverse(double[][] c) {
    Dense.Svd d = Dense.svd(c);
    double[] inv = new double[d.s().length];
    for (int i = 0; i < inv.length; i++) {
      if (d.s()[i] <= 0) {
        throw new IllegalArgumentException("lora init corda: the damped covariance is singular (eigenvalue " + i + " is 0)");
      }
      inv[i] = 1 / d.s()[i];
    }
    return Dense.mul(Dense.columns(d.u(), 0, inv.length, inv), Dense.transpose(d.v()));
  }

  /** Checks 1 ≤ r ≤ min(m, n) and returns {m, n}. */
  static int[] check(String scheme, double[][] w0, int r) {
    int m = w0.length;
    int n = m == 0 ? 0 : w0[0].length;
    if (m == 0 || n == 0) {
      throw new IllegalArgumentException("lora init " + scheme + ": empty weight " + m + "x" + n);
    }
    if (r < 1 || r > Math.min(m, n)) {
      throw new IllegalArgumentException("lora init " + scheme + ": rank must be in 1.." + Math.min(m, n) + " for a "
          + m + "x" + n + " weight, got " + r);
    }
    return new int[] {m, n};
  }

  static void sameShape(String scheme, double[][] w0, double[][] other, String what) {
    if (other.length != w0.length || other[0].length != w0[0].length) {
      throw new IllegalArgumentException("lora init " + scheme + ": the " + what + " is " + other.length + "x"
          + other[0].length + " but the weight is " + w0.length + "x" + w0[0].length);
    }
  }

  static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
