package org.incipit.init;

import org.incipit.autograd.Losses;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;

/**
 * Perceptual-Initialization (PI): before contrastive (CLIP) training, the vision encoder is trained
 * from random init on human two-alternative forced-choice (2AFC) similarity triplets; the
 * contrastive stage then starts from that checkpoint. This class holds the two losses.
 *
 * <pre>
 *   f      = normalize(encoder(x))
 *   Dᵢ     = 1 − cos(f_ref, f_dᵢ)              ∈ [0, 2],   i ∈ {0, 1}
 *   z      = D₀ − D₁
 *   L_PI   = mean max(0, m − (2y − 1)·z),      m = 0.05,  y = 1 when d₁ is the more similar
 *   2AFC   = fraction with sign(z) = 2y − 1
 *   L_CLIP = ½ [CE(s·F_img F_txtᵀ, I) + CE(s·F_txt F_imgᵀ, I)],   s = min(exp t, 100)
 * </pre>
 *
 * Paper: Y. Hu, R. Wang, S. C. Zhao, X. Zhan, D. H. Kim, M. Wallace, D. A. Tovar, 2025, "Beginning with
 * You: Perceptual-Initialization Improves Vision-Language Representation and Alignment",
 * arXiv:2505.14204 (abstract read). The loss above (hinge on the cosine-distance difference, margin 0.05)
 * and the clamp of the logit scale at 100 are read in {@code cheesepuff90/Brain_Initialization}
 * (src/loss.py), a follow-up by the same first author that reuses the PI scaffold: strong hints, not
 * the paper's own text.
 *
 * <p>Choices where the sources are silent: the features are normalized with ε = 1e-8 under the
 * square root (‖f‖ = √(Σ f² + ε)); an exact tie z = 0 counts as a wrong 2AFC answer; y is given as 0/1
 * floats. Held by {@code PerceptualInitTest} (zero loss past the margin, gradient pulls the preferred
 * distortion closer, D ∈ [0, 2], 2AFC accuracy, InfoNCE = log N at uniform logits) and the study
 * {@code perceptual-init}.
 */
public final class PerceptualInit {
  /** The hinge margin m of the follow-up repository. */
  public static final double MARGIN = 0.05;
  /** The largest contrastive logit scale, exp(t) ≤ 100, as in CLIP. */
  public static final double MAX_SCALE = 100;
  private static final double EPS = 1e-8;

  private PerceptualInit() {}

  /** f / √(Σ f² + ε) along the feature axis: (N, D) → (N, D). */
  public static Tensor normalize(Tensor f) {
    if (f.rank() != 2) {
      throw new IllegalArgumentException("perceptual_init: features must be (N, D), got " + f.shape());
    }
    return f.div(f.square().sumKeepDims(1).add(EPS).sqrt()); // (N, D)
  }

  /** D = 1 − cos(a, b) per row: (N, D), (N, D) → (N). */
  public static Tensor cosineDistance(Tensor a, Tensor b) {
    if (!a.shape().equals(b.shape())) {
      throw new IllegalArgumentException("perceptual_init: cosine distance of " + a.shape() + " and " + b.shape());
    }
    return normalize(a).mul(normalize(b)).sum(1).rsub(1); // (N)
  }

  /** z = D₀ − D₁ per triplet: (N). */
  public static Tensor preference(Tensor ref, Tensor d0, Tensor d1) {
    return cosineDistance(ref, d0).sub(cosineDistance(ref, d1)); // (N)
  }

  /** L_PI = mean max(0, m − (2y − 1)·z); y (N) holds 1 where d₁ is the more similar, else 0. */
  public static Tensor tripletHinge(Tensor ref, Tensor d0, Tensor d1, Tensor y, double margin) {
    Tensor z = preference(ref, d0, d1); // (N)
    checkLabels(y, z.numel());
    Tensor signed = y.mul(2).sub(1).mul(z); // (N)
    return signed.rsub(margin).relu().mean();
  }

  /** The fraction of triplets with sign(z) = 2y − 1 (ties count as wrong). */
  public static double twoAfcAccuracy(Tensor ref, Tensor d0, Tensor d1, Tensor y) {
    double[] z = preference(ref, d0, d1).toDoubles();
    checkLabels(y, z.length);
    double[] labels = y.toDoubles();
    int right = 0;
    for (int i = 0; i < z.length; i++) {
      right += (labels[i] > 0.5 ? z[i] > 0 : z[i] < 0) ? 1 : 0;
    }
    return (double) right / z.length;
  }

  /**
   * Symmetric InfoNCE of matched rows: image i belongs with text i. {@code logScale} is the 0-d
   * learnable t; the scale exp(t) is clamped to ≤ {@link #MAX_SCALE}.
   */
  public static Tensor infoNce(Tensor image, Tensor text, Tensor logScale) {
    if (!image.shape().equals(text.shape()) || image.rank() != 2) {
      throw new IllegalArgumentException("perceptual_init: InfoNCE needs two (N, D) feature sets, got " + image.shape()
          + " and " + text.shape());
    }
    int n = image.size(0);
    Tensor scale = logScale.exp().minimum(logScale.constant(MAX_SCALE)); // ()
    Tensor logits = normalize(image).matmul(normalize(text).transpose(0, 1)).mul(scale); // (N, N)
    Tensor target = Tensors.arange(n);
    return Losses.crossEntropy(logits, target).add(Losses.crossEntropy(logits.transpose(0, 1), target)).div(2);
  }

  /** Row-wise softmax-free nearest match: the index of the most similar text for each image (N). */
  public static long[] nearest(Tensor image, Tensor texts) {
    return normalize(image).matmul(normalize(texts).transpose(0, 1)).argmax(1).toLongs(); // (N)
  }

  private static void checkLabels(Tensor y, int n) {
    if (y.rank() != 1 || y.size(0) != n) {
      throw new IllegalArgumentException("perceptual_init: labels must be (" + n + "), got " + y.shape());
    }
  }
}
