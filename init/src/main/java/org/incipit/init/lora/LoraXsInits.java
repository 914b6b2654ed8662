package org.incipit.init.lora;

import org.incipit.init.linalg.Dense;
import org.incipit.tensor.Rng;

/**
 * LoRA-XS and LoRA-SB: the update is ΔW = s·B·R·A with B (m×r) and A (r×n) frozen and only the r×r
 * matrix R trained, so a layer has r² trainable parameters.
 * <pre>
 * LoRA-XS   W0 ≈ U_r Σ_r V_rᵀ;          B = U_r,  A = Σ_r V_rᵀ,  R ~ N(0, σ_R²) (σ_R = 1e−5)
 * LoRA-SB   ΔW₁ = −η·sign(G);  ΔW₁ ≈ U_r S_r V_rᵀ;  B = U_r,  A = V_rᵀ,  R = diag(S_r)/s
 *           (BᵀB = I, AAᵀ = I; W0 is not compensated: the model starts at W0 + trunc_r(ΔW₁))
 * gradient of R:  g_R = s·Bᵀ g Aᵀ,  so one SGD step on R moves W by −η s² B Bᵀ g AᵀA,
 *                 the full fine-tuning step projected on the frozen subspaces.
 * </pre>
 * G is the full fine-tuning gradient of W summed over a few minibatches, and −η·sign(G) is the
 * first AdamW step of full fine-tuning (Adam's first step is a sign step); η is the learning rate
 * at that step. Papers: Bałazy, Banaei, Aberer, Tabor 2024, "LoRA-XS: Low-Rank Adaptation with
 * Extremely Small Number of Parameters", arXiv:2405.17604; Ponkshe, Singhal, Gorbunov, Tumanov,
 * Horvath, Vepakomma 2024, "Initialization using Update Approximation is a Silver Bullet for Extremely
 * Efficient Low-Rank Fine-Tuning" (LoRA-SB), arXiv:2411.19557 — the code read is
 * {@code RaghavSinghal10/lora-sb} ({@code find_and_initialize_grad}, {@code
 * estimate_and_process_grads_torch}).
 *
 * <p>Choices: SVDs are exact (the references use randomized {@code TruncatedSVD}/{@code
 * svd_lowrank} and cast to bf16); sign(0) = 0; {@link #loraSbSignFree} is the spec's sign-free
 * variant ΔW₁ = −η·G, for which the init equals the first full step exactly when rank G ≤ r.
 * Held by {@code LoraXsInitsTest} (BᵀB = I, AAᵀ = I, Eckart–Young error = tail energy, one step
 * on R = the projected full step, sign-free exactness) and the {@code lora_xs} / {@code lora_sb}
 * cases of {@code ../shared/fixtures/lora_inits.json}.
 */
public final class LoraXsInits {
  /** LoRA-XS's σ of R at init (the reference code's N(0, (1e−5)²)). */
  public static final double R_STD = 1e-5;

  private LoraXsInits() {}

  /** The factors: ΔW = s·B·R·A, and the base weight the adapter sits on (W0, never compensated). */
  public record Factors(double[][] b, double[][] r, double[][] a, double[][] base) {
    /** s·B·R·A. */
    public double[][] delta(double scale) {
      double[][] d = Dense.mul(Dense.mul(b, r), a);
      return Dense.scale(scale, d);
    }
  }

  /** LoRA-XS: B = U_r, A = Σ_r V_rᵀ from W0, R ~ N(0, R_STD²) (pass {@code rng} null for R = 0). */
  public static Factors loraXs(double[][] w0, int r, Rng rng) {
    PeftInits.check("lora_xs", w0, r);
    Dense.Svd d = Dense.svd(w0);
    double[][] b = Dense.columns(d.u(), 0, r, null);
    double[][] a = Dense.transpose(Dense.columns(d.v(), 0, r, d.s()));
    double[][] rr = rng == null ? new double[r][r] : Dense.reshape(r, r, rng.normal(r * r, 0, R_STD));
    return new Factors(b, rr, a, PeftInits.copy(w0));
  }

  /** LoRA-SB: the top-r SVD of ΔW₁ = −η·sign(G), with R = diag(S_r)/s. */
  public static Factors loraSb(double[][] w0, double[][] grad, double lr, int r, double alpha) {
    PeftInits.check("lora_sb", w0, r);
    PeftInits.sameShape("lora_sb", w0, grad, "gradient");
    double[][] step = new double[grad.length][grad[0].length];
    for (int i = 0; i < grad.length; i++) {
      for (int j = 0; j < grad[0].length; j++) {
        step[i][j] = -lr * Math.signum(grad[i][j]);
      }
    }
    return fromStep(w0, step, r, alpha);
  }

  /** The sign-free variant: the top-r SVD of ΔW₁ = −η·G. */
  public static Factors loraSbSignFree(double[][] w0, double[][] grad, double lr, int r, double alpha) {
    PeftInits.check("lora_sb", w0, r);
    PeftInits.sameShape("lora_sb", w0, grad, "gradient");
    return fromStep(w0, Dense.scale(-lr, grad), r, alpha);
  }

  private static Factors fromStep(double[][] w0, double[][] step, int r, double alpha) {
    double s = alpha / r;
    Dense.Svd d = Dense.svd(step);
    double[][] rr = new double[r][r];
    for (int i = 0; i < r; i++) {
      rr[i][i] = d.s()[i] / s;
    }
    return new Factors(Dense.columns(d.u(), 0, r, null), rr, Dense.transpose(Dense.columns(d.v(), 0, r, null)),
        PeftInits.copy(w0));
  }
}
