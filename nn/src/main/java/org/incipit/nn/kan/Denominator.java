package org.incipit.nn.kan;

import org.incipit.autograd.Tensor;

/**
 * The two denominators of KAT's (m, n) = (5, 4) rational P(x)/Q(x), which differ in the official
 * code (Yang &amp; Wang 2024, "Kolmogorov–Arnold Transformer", arXiv:2409.10594; ICLR 2025;
 * repositories Adamdad/kat and Adamdad/rational_kat_cu).
 * <pre>
 * ABS_OF_SUM (form A, the paper and its fit.py):      Q(x) = 1 + |b₁x + b₂x² + b₃x³ + b₄x⁴|
 * SUM_OF_ABS (form B, the CUDA and Triton kernels):   Q(x) = 1 + |b₁|·|x| + |b₂|·x² + |b₃|·|x|³ + |b₄|·x⁴
 * </pre>
 * Both are ≥ 1 for every x and b, so neither has poles. They are the same function when the
 * fitted polynomial is even with non-negative coefficients (b₁ = b₃ = 0, b₂, b₄ ≥ 0: the swish and
 * sigmoid fits of {@link RationalPreset}), and differ otherwise: form B is always even in x, form A
 * can be asymmetric, so coefficients fitted for one form are wrong for the other (the official
 * 'gelu' preset has a max error of 1.46 on [−3, 3] when read as form B). The torch CPU fallback of
 * the official code computes Σ|b_j|·x^j without |x|, a third function, which this class does not
 * offer.
 *
 * <p>Derivatives (the engine derives them from the Tensor ops below):
 * <pre>
 * form A:  ∂Q/∂b_j = sign(Σ b_i xⁱ)·x^j,     ∂Q/∂x = sign(Σ b_i xⁱ)·Σ j b_j x^(j−1)
 * form B:  ∂Q/∂b_j = sign(b_j)·|x|^j,       ∂Q/∂x = sign(x)·Σ j |b_j| |x|^(j−1)
 * </pre>
 * with sign(0) = 0 (|·|′(0) = 0, as PyTorch). Consequence: where all b_j = 0 (the identity preset)
 * the denominator receives a zero gradient in both forms and keeps b = 0 under any gradient-based
 * optimizer; only the numerator of an identity-initialised rational trains.
 */
public enum Denominator {
  /** Form A: Q = 1 + |Σ_{j=1}^{4} b_j x^j| (the paper, and the fits of {@code fit.py}). */
  ABS_OF_SUM,
  /** Form B: Q = 1 + Σ_{j=1}^{4} |b_j|·|x|^j (the CUDA/Triton kernels). */
  SUM_OF_ABS;

  /** Number of denominator coefficients b₁…b₄. */
  public static final int TERMS = 4;

  /** Q(x) in double precision for coefficients {@code b} = (b₁, …, b₄). */
  public double value(double[] b, double x) {
    double s = 0;
    if (this == ABS_OF_SUM) {
      for (int j = TERMS - 1; j >= 0; j--) {
        s = (s + b[j]) * x; // Horner: x(b₁ + x(b₂ + x(b₃ + x b₄)))
      }
      return 1 + Math.abs(s);
    }
    double ax = Math.abs(x);
    for (int j = TERMS - 1; j >= 0; j--) {
      s = (s + Math.abs(b[j])) * ax;
    }
    return 1 + s;
  }

  /**
   * Q(x) as a Tensor composite. {@code b} holds the coefficients on its last axis (…, 4) and is
   * broadcast against {@code x} after that axis is split off: with x (…, g, D/g) pass b as (g, 4)
   * to give each group its own denominator.
   */
  public Tensor value(Tensor x, Tensor b) {
    Tensor[] c = new Tensor[TERMS];
    for (int j = 0; j < TERMS; j++) {
      Tensor bj = b.slice(-1, j, j + 1); // (…, 1): broadcasts over the group's channels
      c[j] = this == ABS_OF_SUM ? bj : bj.abs();
    }
    Tensor base = this == ABS_OF_SUM ? x : x.abs();
    Tensor s = base.mul(c[TERMS - 1]);
    for (int j = TERMS - 2; j >= 0; j--) {
      s = base.mul(s.add(c[j])); // Horner, one power of x (or |x|) per step
    }
    return this == ABS_OF_SUM ? s.abs().add(1.0) : s.add(1.0);
  }
}
