package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;

/**
 * Structured noise initialization for diffusion sampling: start the reverse process from a noised
 * draft at an intermediate step t* instead of from pure noise at T, and denoise only t* steps.
 *
 * <pre>
 *   β_t linear in [β₁, β_T],  ᾱ_t = Π_{s=1..t} (1 − β_s),  ᾱ₀ = 1
 *   x_{t*} = √ᾱ_{t*}·z + √(1 − ᾱ_{t*})·ε,   ε ~ N(0, I)          (q(x_t | x₀ = z))
 *   Var x_{t*} = ᾱ_{t*}·Var z + (1 − ᾱ_{t*}),   corr(x_{t*}, z) = √ᾱ_{t*}·σ_z / √Var x_{t*}
 * </pre>
 *
 * <p>Papers: RDEIC — Y. Li, X. Zhou, H. Wei, H. Ge, A. Mian, 2024, "RDEIC: Accelerating
 * Diffusion-Based Extreme Image Compression with Relay Residual Diffusion", arXiv:2410.02640: the
 * start is the noised compressed latent z_c at N = 300 of T = 1000 (code: {@code q_sample(c_latent,
 * t = N − 1)}, verified from a public fork of the code; the paper text was not read), followed by
 * 2 or 5 respaced steps of a relay residual diffusion. Video-MSG — J. Li, S. Yu, H. Lin, J. Cho,
 * J. Yoon, M. Bansal, 2025, "Training-free Guidance in Text-to-Video Generation via Multimodal
 * Planning and Structured Noise Initialization", arXiv:2504.08641: the start is the VAE latent of a
 * video sketch noised with {@code scheduler.add_noise} at t* = 699 of 1000 (read from the official
 * code); a larger t* gives more freedom and less adherence to the sketch.
 *
 * <p>Choices where the papers are silent or their setting does not apply: t counts from 1 (ᾱ₀ = 1,
 * so t* = 0 returns z unchanged); the reverse process here is plain ancestral DDPM over every step
 * t* … 1 (RDEIC's relay residual training and respacing, and Video-MSG's DPM solver and CFG, need a
 * latent model we do not have); ε is drawn on the host from {@code rng} in float64.
 *
 * <p>Held by {@code DiffusionStartTest} (t* = 0 returns z; t* = T gives corr(x, z) ≈ √ᾱ_T ≈ 0;
 * Var x = ᾱ·Var z + (1 − ᾱ) within a χ² band) and by the study {@code incipit study diffusion-noise-init}.
 */
public final class DiffusionStart {
  private DiffusionStart() {}

  /** β₁ … β_T evenly spaced from {@code first} to {@code last} (DDPM's linear schedule). */
  public static double[] linearBetas(int steps, double first, double last) {
    if (steps < 1 || !(first > 0) || !(last >= first) || !(last < 1)) {
      throw new IllegalArgumentException("DiffusionStart.linearBetas: needs T ≥ 1 and 0 < β₁ ≤ β_T < 1, got T = "
          + steps + ", β₁ = " + first + ", β_T = " + last);
    }
    double[] b = new double[steps];
    for (int t = 0; t < steps; t++) {
      b[t] = steps == 1 ? first : first + (last - first) * t / (steps - 1);
    }
    return b;
  }

  /** ᾱ₀ … ᾱ_T (length T + 1, ᾱ₀ = 1) for β₁ … β_T. */
  public static double[] alphaBars(double[] betas) {
    double[] a = new double[betas.length + 1];
    a[0] = 1;
    for (int t = 1; t <= betas.length; t++) {
      if (!(betas[t - 1] > 0 && betas[t - 1] < 1)) {
        throw new IllegalArgumentException("DiffusionStart.alphaBars: β_" + t + " = " + betas[t - 1] + " is not in (0, 1)");
      }
      a[t] = a[t - 1] * (1 - betas[t - 1]);
    }
    return a;
  }

  /** x = √ᾱ·z + √(1 − ᾱ)·ε; z and ε of one shape, ᾱ ∈ [0, 1]. */
  public static Tensor noisedLatent(Tensor z, double alphaBar, Tensor eps) {
    if (!(alphaBar >= 0 && alphaBar <= 1)) {
      throw new IllegalArgumentException("DiffusionStart.noisedLatent: ᾱ must be in [0, 1], got " + alphaBar);
    }
    if (!z.shape().equals(eps.shape())) {
      throw new IllegalArgumentException("DiffusionStart.noisedLatent: z " + z.shape() + " and ε " + eps.shape()
          + " differ in shape");
    }
    return z.mul(Math.sqrt(alphaBar)).add(eps.mul(Math.sqrt(1 - alphaBar)));
  }

  /** The start at step t* of the schedule ᾱ (length T + 1), ε ~ N(0, I) from {@code rng}, in z's dtype. */
  public static Tensor noisedLatent(Tensor z, double[] alphaBars, int tStar, Rng rng) {
    if (tStar < 0 || tStar >= alphaBars.length) {
      throw new IllegalArgumentException("DiffusionStart.noisedLatent: t* = " + tStar + " is outside [0, "
          + (alphaBars.length - 1) + "]");
    }
    Tensor eps = Tensors.of(z.dtype(), rng.normal(z.numel()), z.shape(), z.device());
    return noisedLatent(z, alphaBars[tStar], eps);
  }
}
