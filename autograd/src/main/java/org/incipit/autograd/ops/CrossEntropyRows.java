package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Functional;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.Layout;
import org.incipit.tensor.Shape;

/**
 * Per-row cross-entropy of logits (M, C) against class indices, with label smoothing ε, as one fused
 * primitive for backends that have the "cross_entropy" kernel ({@code Losses.crossEntropy} uses it
 * and reduces the row losses; {@code Losses.crossEntropyReference}, the composite of log-softmax,
 * gather and mean, is the reference it is tested against).
 * <pre>
 * lse_r = m_r + log Σⱼ e^(x[r,j] − m_r),   m_r = maxⱼ x[r,j]
 * ℓ_r   = lse_r − (1−ε)·x[r, t_r] − (ε/C)·Σⱼ x[r,j]          (times 0 for an ignored row)
 * ∂ℓ_r/∂x[r,j] = softmax(x[r])ⱼ − (1−ε)·[j = t_r] − ε/C       (times 0 for an ignored row)
 * </pre>
 * (An ignored row's ℓ and gradient are 0, or NaN where they are not finite, as the composite's ×0.)
 * The forward keeps m and log Σ per row, so the backward is one exp pass per row when it builds no
 * graph ({@link NoGrad} active); under {@code GradMode.CREATE_GRAPH} the rule is the Tensor code
 * (softmax(x) − q) ⊙ g with q the smoothed one-hot rows, so higher-order gradients work.
 *
 * <pre>{@code
 * Tensor rowLosses = CrossEntropyRows.apply(logits, new long[] {3, -1, 0}, 0.0); // (3,)
 * }</pre>
 */
public final class CrossEntropyRows {
  private CrossEntropyRows() {}

  /**
   * The row losses (M) of {@code logits} (M, C) against {@code targets} (M classes in [0, C), or a
   * negative value for an ignored row); the backend must have "cross_entropy".
   */
  public static Tensor apply(Tensor logits, long[] targets, double smoothing) {
    Elementwise.requireFloating("cross_entropy", logits);
    if (logits.rank() != 2 || logits.size(0) != targets.length) {
      throw new IllegalArgumentException("cross_entropy: logits of shape " + logits.shape()
          + " must be (M, C) with M = " + targets.length + " targets");
    }
    Tensor x = logits.contiguous(); // (M, C)
    int rows = x.size(0);
    int cols = x.size(1);
    for (int r = 0; r < rows; r++) {
      if (targets[r] >= cols) {
        throw new IndexOutOfBoundsException("cross_entropy: target class " + targets[r] + " at row " + r
            + " is out of range for " + cols + " classes");
      }
    }
    Tensor t = Tensors.ofLongs(targets, rows).to(x.device()); // (M)
    Buffer stats = x.backend().crossEntropyRows(x.buffer(), t.buffer(), rows, cols, smoothing);
    BackwardRule rule = (gy, y, in) -> new Tensor[] {NoGrad.isActive() && gy.dtype() == in[0].dtype()
        ? fused(in[0], t, stats, gy, smoothing) : composite(in[0], targets, gy, smoothing)};
    return Tensor.record("cross_entropy", stats, new Layout(Shape.of(rows), new int[] {1}, 0), rule, x);
  }

  /** The fused rule: one kernel pass per row. */
  private static Tensor fused(Tensor x, Tensor t, Buffer stats, Tensor gy, double smoothing) {
    Tensor g = gy.contiguous(); // (M)
    return Tensor.wrap(x.backend().crossEntropyRowsBackward(x.buffer(), t.buffer(), stats, g.buffer(), x.size(0),
        x.size(1), smoothing), x.shape());
  }

  /** The rule as Tensor code: (softmax(x) − q) ⊙ g[:, None], with q = (1−ε)·onehot + ε/C on kept rows. */
  private static Tensor composite(Tensor x, long[] targets, Tensor gy, double smoothing) {
    int rows = x.size(0);
    int cols = x.size(1);
    double[] q = new double[rows * cols];
    double[] keep = new double[rows];
    for (int r = 0; r < rows; r++) {
      if (targets[r] >= 0) {
        keep[r] = 1;
        java.util.Arrays.fill(q, r * cols, (r + 1) * cols, smoothing / cols);
        q[r * cols + (int) targets[r]] += 1 - smoothing;
      }
    }
    Tensor weight = Tensors.of(x.dtype(), keep, Shape.of(rows, 1), x.device()); // (M, 1)
    Tensor target = Tensors.of(x.dtype(), q, Shape.of(rows, cols), x.device()); // (M, C)
    return Functional.softmax(x, -1).sub(target).mul(gy.unsqueeze(1).mul(weight));
  }
}
