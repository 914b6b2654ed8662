package org.incipit.init.matrix;

import org.incipit.init.linalg.Mat;
import org.incipit.tensor.Rng;

/**
 * SubGM with small initialization for robust low-rank matrix recovery (Ma &amp; Fattahi): recover a PSD
 * X* (d×d, rank r) from y = 𝒜(X*) + s, s a sparse vector of gross outliers, with an
 * over-parameterized factor U ∈ R^{d×r′}, r′ ≥ r, by the sub-gradient method on the ℓ₁ loss.
 *
 * <pre>
 *   f(U)    = (1/m)·Σᵢ |⟨Aᵢ, UUᵀ⟩ − yᵢ|
 *   D(U)    = (1/m)·Σᵢ sign(⟨Aᵢ, UUᵀ⟩ − yᵢ)·(Aᵢ + Aᵢᵀ)·U        (sign(0) = 0)
 *   U₀      = α·B,   Bᵢⱼ ~ N(0, 1/d)  (so ‖B‖ ≈ 1 + √(r′/d) = O(1))
 *   U_{t+1} = U_t − η_t·D(U_t),   η_t = η₀·ρᵗ,  0 &lt; ρ &lt; 1
 * </pre>
 *
 * <p>Paper: J. Ma, S. Fattahi, 2023, "Global Convergence of Sub-gradient Method for Robust Matrix
 * Recovery: Small Initialization, Noisy Measurements, and Over-parameterization", JMLR 24(96),
 * arXiv:2202.08788. Their result: with small α the final error is governed by α and does not depend
 * on r′; with a large α the over-parameterized model fits the outliers.
 *
 * <p><b>What was confirmed and what was chosen.</b> Confirmed from the paper's abstract and
 * introduction (arXiv 2202.08788v1): the ℓ₁ objective over U ∈ R^{d×r′}, r′ ≥ r, a PSD X*, y =
 * 𝒜(X*) + s with outlier or Gaussian noise, "SubGM with small initialization", Sign-RIP. NOT
 * confirmed — Algorithm 1 and the theorems could not be read (the search tool returns only the first
 * part of the paper's pages): the geometric step η_t = η₀ρᵗ (the project spec's recollection,
 * implemented as such), the scale of B (chosen: i.i.d. N(0, 1/d), so that ‖B‖ = O(1) as the spec
 * says), the outlier model (chosen: a fraction p of the yᵢ, picked by a permutation, get an added
 * N(0, magnitude²) value), sign(0) = 0 (any element of [−1, 1] is a valid sub-gradient there; 0 is
 * what numpy's and Java's {@code signum} give). Only the outlier noise model is implemented.
 *
 * <p>Held by {@code SubGradientMethodTest} (the sub-gradient equals central finite differences where
 * no residual is zero; the final error decreases monotonically over α ∈ {1, 10⁻¹, 10⁻³}; U₀'s entries
 * have variance α²/d) and by the study {@code incipit study subgm-small-init}.
 */
public final class SubGradientMethod {
  private SubGradientMethod() {}

  /** The step-size schedule η_t = η₀·ρᵗ and the number of steps. */
  public record Schedule(double eta0, double rho, int steps) {
    public Schedule {
      if (!(eta0 > 0) || !(rho > 0 && rho <= 1) || steps < 0) {
        throw new IllegalArgumentException("SubGM: needs η₀ > 0, 0 < ρ ≤ 1, steps ≥ 0; got η₀ = " + eta0
            + ", ρ = " + rho + ", steps = " + steps);
      }
    }
  }

  /** The final factor and ‖U_tU_tᵀ − X*‖_F for t = 0, …, steps. */
  public record Trajectory(double[] u, double[] error) {
    public double finalError() {
      return error[error.length - 1];
    }
  }

  /** U₀ = α·B with Bᵢⱼ ~ N(0, 1/d): a (d, r′) factor whose entries have variance α²/d. */
  public static double[] smallInit(int d, int rPrime, double alpha, Rng rng) {
    if (d < 1 || rPrime < 1 || !(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("SubGM.smallInit: needs d, r′ ≥ 1 and a finite α ≥ 0, got d = " + d
          + ", r′ = " + rPrime + ", α = " + alpha);
    }
    return rng.normal(d * rPrime, 0, alpha / Math.sqrt(d));
  }

  /** y + s: a fraction {@code p} of the entries (⌊p·m⌋, chosen by a permutation) get N(0, magnitude²) added. */
  public static double[] withOutliers(double[] y, double p, double magnitude, Rng rng) {
    if (!(p >= 0 && p <= 1) || !(magnitude >= 0)) {
      throw new IllegalArgumentException("SubGM.withOutliers: needs p ∈ [0, 1] and magnitude ≥ 0, got p = " + p
          + ", magnitude = " + magnitude);
    }
    int count = (int) Math.floor(p * y.length);
    int[] order = rng.fork("which").permutation(y.length);
    double[] noise = rng.fork("value").normal(count, 0, magnitude);
    double[] out = y.clone();
    for (int i = 0; i < count; i++) {
      out[order[i]] += noise[i];
    }
    return out;
  }

  /** f(U) = (1/m)·Σ|⟨Aᵢ, UUᵀ⟩ − yᵢ| for U (d, r′). */
  public static double loss(Sensing a, double[] y, double[] u, int rPrime) {
    double[] res = residuals(a, y, u, rPrime);
    double s = 0;
    for (double v : res) {
      s += Math.abs(v);
    }
    return s / a.m();
  }

  /** D(U) = (1/m)·Σ sign(⟨Aᵢ, UUᵀ⟩ − yᵢ)·(Aᵢ + Aᵢᵀ)·U, a (d, r′) matrix. */
  public static double[] subgradient(Sensing a, double[] y, double[] u, int rPrime) {
    int d = a.n1();
    double[] res = residuals(a, y, u, rPrime);
    double[] sign = new double[res.length];
    for (int i = 0; i < res.length; i++) {
      sign[i] = Math.signum(res[i]);
    }
    double[] s = a.adjoint(sign); // (1/m)·Σ signᵢ·Aᵢ, (d, d)
    double[] sym = Mat.sub(s, Mat.scale(Mat.transpose(s, d, d), -1)); // S + Sᵀ
    return Mat.mul(sym, u, d, d, rPrime); // (d, r′)
  }

  /** Runs SubGM from U₀ and records ‖UUᵀ − X*‖_F at every step. */
  public static Trajectory run(Sensing a, double[] y, double[] xStar, double[] u0, int rPrime, Schedule schedule) {
    int d = a.n1();
    if (a.n2() != d) {
      throw new IllegalArgumentException("SubGM.run: the sensing matrices must be square, got (" + d + ", " + a.n2() + ")");
    }
    Mat.check("SubGM.run (U₀)", u0, d, rPrime);
    Mat.check("SubGM.run (X*)", xStar, d, d);
    double[] u = u0.clone();
    double[] error = new double[schedule.steps() + 1];
    double eta = schedule.eta0();
    for (int t = 0; t <= schedule.steps(); t++) {
      error[t] = Mat.frobenius(Mat.sub(Mat.mulT(u, u, d, rPrime, d), xStar));
      if (t == schedule.steps()) {
        break;
      }
      double[] g = subgradient(a, y, u, rPrime);
      for (int i = 0; i < u.length; i++) {
        u[i] -= eta * g[i];
      }
      eta *= schedule.rho();
    }
    return new Trajectory(u, error);
  }

  private static double[] residuals(Sensing a, double[] y, double[] u, int rPrime) {
    int d = a.n1();
    Mat.check("SubGM (U)", u, d, rPrime);
    if (y.length != a.m()) {
      throw new IllegalArgumentException("SubGM: " + y.length + " measurements for m = " + a.m());
    }
    return Mat.sub(a.apply(Mat.mulT(u, u, d, rPrime, d)), y);
  }
}
