package org.incipit.init.matrix;

import org.incipit.init.linalg.Mat;
import org.incipit.tensor.Rng;

/**
 * Gradient descent for over-parameterized matrix sensing, symmetric (XXᵀ) and asymmetric (FGᵀ),
 * with the imbalanced small initialization of Xiong, Ding &amp; Du and a one-step, product-preserving
 * modification that removes the α-dependence of the asymmetric rate.
 *
 * <pre>
 *   L(F, G) = ½·‖𝒜(FGᵀ) − y‖²/m,  R = 𝒜*(𝒜(FGᵀ) − y) = (1/m)·Σᵢ rᵢAᵢ
 *   F ← F − η·R·G,   G ← G − η·Rᵀ·F                 (asymmetric, F (n₁, k), G (n₂, k))
 *   X ← X − η·(R + Rᵀ)·X                             (symmetric, L = ½‖𝒜(XXᵀ) − y‖²/m)
 *   F₀ = α·N(0, 1)/√n₁,  G₀ = (α/3)·N(0, 1)/√n₂,  X₀ = α·N(0, 1)/√n
 *   one step at T₁ (an inference, see below): GᵀG = V·diag(s²)·Vᵀ,  s′ = max(s, c),
 *   G ← G·V·diag(s′/s)·Vᵀ,   F ← F·V·diag(s/s′)·Vᵀ      (FGᵀ unchanged)
 * </pre>
 *
 * <p>Paper: N. Xiong, L. Ding, S. S. Du, 2024, "How Over-Parameterization Slows Down Gradient Descent
 * in Matrix Sensing: The Curses of Symmetry and Initialization", ICLR 2024, arXiv:2310.01769.
 * Claims: symmetric GD with k &gt; r converges no faster than Ω(1/T²); asymmetric GD with k &gt; r
 * converges linearly at exp(−Ω(α²T)), driven by the imbalance FᵀF − GᵀG; a modification of one GD
 * step recovers an α-independent linear rate.
 *
 * <p><b>What was confirmed and what was chosen.</b> Confirmed: the abstract (rates above, "modifies
 * one step of GD"); from the ICLR reviews, the imbalanced scales α and α/3 and that the modified
 * step, eq. (5.1) of §5, is applied once the iterates are close to the optimum. NOT confirmed: the
 * formula of eq. (5.1) — §5 could not be read (the search tool returns only the opening of the
 * paper's pages, and no code was released). {@link #rebalance} is therefore <em>an inference</em>,
 * labelled as such: the project spec's reconstruction, a product-preserving change of basis P =
 * V·diag(s′/s)·Vᵀ (G ← GP, F ← FP⁻ᵀ) that lifts every singular value of G to at least c. Once FGᵀ ≈
 * M*, the spurious part of F then contracts at rate ≈ η·c² per step instead of η·σ²_min(G) = O(ηα²).
 * The init variance α²/n per entry (so a column has norm ≈ α) and the 1/m in 𝒜* are choices.
 *
 * <p>Held by {@code OverparamSensingTest} (FGᵀ is invariant across {@link #rebalance} to 1e−12; G's
 * singular values are ≥ c after it; the post-step rate is α-independent within 20 %; gradients
 * match finite differences) and by the study {@code incipit study overparam-sensing}.
 */
public final class OverparamSensing {
  private OverparamSensing() {}

  /** An asymmetric factorization: F (n₁, k), G (n₂, k). */
  public record Factors(double[] f, double[] g, int n1, int n2, int k) {
    public Factors {
      Mat.check("Factors (F)", f, n1, k);
      Mat.check("Factors (G)", g, n2, k);
    }

    /** FGᵀ, (n₁, n₂). */
    public double[] product() {
      return Mat.mulT(f, g, n1, k, n2);
    }
  }

  /** F₀ = α·N(0, 1)/√n₁, G₀ = (α/3)·N(0, 1)/√n₂: the paper's imbalanced small initialization. */
  public static Factors asymmetricInit(int n1, int n2, int k, double alpha, Rng rng) {
    checkInit(n1, k, alpha);
    checkInit(n2, k, alpha);
    return new Factors(rng.fork("F").normal(n1 * k, 0, alpha / Math.sqrt(n1)),
        rng.fork("G").normal(n2 * k, 0, alpha / 3 / Math.sqrt(n2)), n1, n2, k);
  }

  /** X₀ = α·N(0, 1)/√n, (n, k). */
  public static double[] symmetricInit(int n, int k, double alpha, Rng rng) {
    checkInit(n, k, alpha);
    return rng.normal(n * k, 0, alpha / Math.sqrt(n));
  }

  /** R = 𝒜*(𝒜(Z) − y) for the current product Z. */
  static double[] residualMatrix(Sensing a, double[] y, double[] z) {
    double[] r = a.apply(z);
    for (int i = 0; i < r.length; i++) {
      r[i] -= y[i];
    }
    return a.adjoint(r);
  }

  /** One asymmetric GD step (simultaneous update of F and G). */
  public static Factors step(Sensing a, double[] y, Factors x, double eta) {
    double[] r = residualMatrix(a, y, x.product()); // (n₁, n₂)
    double[] gradF = Mat.mul(r, x.g(), x.n1(), x.n2(), x.k()); // R·G, (n₁, k)
    double[] gradG = Mat.tmul(r, x.f(), x.n1(), x.n2(), x.k()); // Rᵀ·F, (n₂, k)
    return new Factors(minus(x.f(), eta, gradF), minus(x.g(), eta, gradG), x.n1(), x.n2(), x.k());
  }

  /** One symmetric GD step X ← X − η·(R + Rᵀ)·X. */
  public static double[] symmetricStep(Sensing a, double[] y, double[] x, int k, double eta) {
    int n = a.n1();
    double[] r = residualMatrix(a, y, Mat.mulT(x, x, n, k, n)); // (n, n)
    double[] sym = Mat.sub(r, Mat.scale(Mat.transpose(r, n, n), -1)); // R + Rᵀ
    return minus(x, eta, Mat.mul(sym, x, n, n, k));
  }

  /**
   * The one-step modification (an inference of eq. (5.1), see the class Javadoc): lifts every
   * singular value s of G below c to c and divides the matching direction of F by the same factor,
   * so that FGᵀ is unchanged.
   *
   * @throws IllegalArgumentException when c ≤ 0 or G has a zero singular value (no direction to lift)
   */
  public static Factors rebalance(Factors x, double c) {
    if (!(c > 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException("OverparamSensing.rebalance: c must be finite and > 0, got " + c);
    }
    int k = x.k();
    double[][] eig = Mat.symmetricEigen(Mat.tmul(x.g(), x.g(), x.n2(), k, k), k); // GᵀG = V·diag(s²)·Vᵀ
    double[] v = eig[1];
    double[] up = new double[k * k];
    double[] down = new double[k * k];
    for (int j = 0; j < k; j++) {
      double s = Math.sqrt(Math.max(eig[0][j], 0));
      if (!(s > 0)) {
        throw new IllegalArgumentException("OverparamSensing.rebalance: G (" + x.n2() + ", " + k
            + ") has a zero singular value; nothing to lift");
      }
      double lift = Math.max(s, c) / s;
      for (int i = 0; i < k; i++) { // columns of V·diag(lift) and V·diag(1/lift)
        up[i * k + j] = v[i * k + j] * lift;
        down[i * k + j] = v[i * k + j] / lift;
      }
    }
    double[] p = Mat.mulT(up, v, k, k, k); // V·diag(s′/s)·Vᵀ
    double[] q = Mat.mulT(down, v, k, k, k); // V·diag(s/s′)·Vᵀ = P⁻¹ = P⁻ᵀ
    return new Factors(Mat.mul(x.f(), q, x.n1(), k, k), Mat.mul(x.g(), p, x.n2(), k, k), x.n1(), x.n2(), k);
  }

  /**
   * Asymmetric GD for {@code steps} steps; at step {@code switchAt} (≥ 0) the step is replaced by
   * {@link #rebalance}(c) followed by a plain step. Returns ‖F_tG_tᵀ − M*‖_F for t = 0, …, steps.
   */
  public static double[] runAsymmetric(Sensing a, double[] y, double[] mStar, Factors x0, double eta, int steps,
                                       int switchAt, double c) {
    Factors x = x0;
    double[] error = new double[steps + 1];
    for (int t = 0; t <= steps; t++) {
      error[t] = Mat.frobenius(Mat.sub(x.product(), mStar));
      if (t < steps) {
        x = step(a, y, t == switchAt ? rebalance(x, c) : x, eta);
      }
    }
    return error;
  }

  /** Symmetric GD for {@code steps} steps; returns ‖X_tX_tᵀ − M*‖_F for t = 0, …, steps. */
  public static double[] runSymmetric(Sensing a, double[] y, double[] mStar, double[] x0, int k, double eta, int steps) {
    int n = a.n1();
    double[] x = x0.clone();
    double[] error = new double[steps + 1];
    for (int t = 0; t <= steps; t++) {
      error[t] = Mat.frobenius(Mat.sub(Mat.mulT(x, x, n, k, n), mStar));
      if (t < steps) {
        x = symmetricStep(a, y, x, k, eta);
      }
    }
    return error;
  }

  private static double[] minus(double[] x, double eta, double[] g) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] - eta * g[i];
    }
    return out;
  }

  private static void checkInit(int n, int k, double alpha) {
    if (n < 1 || k < 1 || !(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("OverparamSensing init: needs n, k ≥ 1 and a finite α ≥ 0, got n = " + n
          + ", k = " + k + ", α = " + alpha);
    }
  }
}
