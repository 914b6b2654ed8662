package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Shape;

/**
 * The softmax of attention scores with the 1/√d scale and the causal mask folded in: one fused
 * primitive for backends with the "scaled_softmax" kernel ({@code Functional.attention} uses the
 * composite {@code softmax(x.mul(s).maskedFill(mask, −∞))} elsewhere; that composite is the
 * reference this op is tested against, and on the CPU the forward equals it bit for bit).
 * <pre>
 * y = softmax(s·x + M),   Mᵢⱼ = −∞ where j &gt; i (causal, as Functional.causalMask), else 0
 * dx = s · y ⊙ (dy − Σⱼ dyⱼ yⱼ)
 * </pre>
 * Masked entries have y = 0, so they get no gradient. The rule is softmax's rule times s (Tensor
 * code, so higher-order gradients work). Saves the scaled copy, the broadcast −∞ constant, the
 * expanded mask and both {@code where} gradients of the composite: four passes over the scores
 * forward and four backward.
 */
public final class ScaledSoftmax {
  private ScaledSoftmax() {}

  /** softmax(s·x + causal mask) along the last axis of (…, T, S) scores; x floating, rank ≥ 2. */
  public static Tensor apply(Tensor x, double scale, boolean causal) {
    Elementwise.requireFloating("scaled_softmax", x);
    if (x.rank() < 2) {
      throw new IllegalArgumentException("scaled_softmax: scores must be (…, T, S), got " + x.shape());
    }
    Tensor c = x.contiguous();
    Shape s = x.shape();
    int cols = s.dim(-1);
    int rows = Elementwise.rows(s);
    BackwardRule rule = (gy, y, in) -> new Tensor[] {SoftmaxRows.SOFTMAX.apply(gy, y, in)[0].mul(scale)};
    return Tensor.record("scaled_softmax",
        c.backend().scaledSoftmaxRows(c.buffer(), rows, cols, s.dim(-2), causal, scale), s, rule, x);
  }
}
