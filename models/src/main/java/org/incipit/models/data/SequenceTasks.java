package org.incipit.models.data;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * Synthetic sequence tasks for sequence models (S4D), drawn fresh from an {@link Rng}: a batch is
 * a pure function of (rng, sizes), so a training run draws batch k from {@code rng.fork(k)}.
 * Inputs are F32 (B, L, 1) white noise u ~ N(0, 1) on the CPU.
 */
public final class SequenceTasks {
  private SequenceTasks() {}

  /** Inputs (B, L, D) and targets: F32 (B, L, 1) for regression, I64 (B) for classification. */
  public record Batch(Tensor x, Tensor y) {}

  /**
   * The delay task of the S4D paper's initialization study (Gu et al. 2022, arXiv:2206.11893,
   * after the HiPPO delay task): reproduce the input {@code delay} steps late.
   * <pre>y_t = u_{t−d} for t ≥ d,   y_t = 0 for t &lt; d</pre>
   */
  public static Batch delay(int batch, int length, int delay, Rng rng) {
    if (batch < 1 || length < 1 || delay < 0 || delay >= length) {
      throw new IllegalArgumentException("delay task: needs batch ≥ 1, length ≥ 1 and 0 ≤ delay < length, got "
          + batch + ", " + length + ", " + delay);
    }
    double[] u = rng.normal(batch * length);
    double[] y = new double[u.length];
    for (int b = 0; b < batch; b++) {
      for (int t = delay; t < length; t++) {
        y[b * length + t] = u[b * length + t - delay];
      }
    }
    return new Batch(Tensors.of(DType.F32, u, batch, length, 1), Tensors.of(DType.F32, y, batch, length, 1));
  }

  /**
   * A two-class task that needs the order of the inputs, not only their values: class 1 when the
   * first half of the sequence sums to more than the second half.
   * <pre>label = [Σ_{t &lt; L/2} u_t &gt; Σ_{t ≥ L/2} u_t]</pre>
   */
  public static Batch halves(int batch, int length, Rng rng) {
    if (batch < 1 || length < 2) {
      throw new IllegalArgumentException("halves task: needs batch ≥ 1 and length ≥ 2, got " + batch + ", " + length);
    }
    double[] u = rng.normal(batch * length);
    long[] labels = new long[batch];
    for (int b = 0; b < batch; b++) {
      double diff = 0;
      for (int t = 0; t < length; t++) {
        diff += (t < length / 2 ? 1 : -1) * u[b * length + t];
      }
      labels[b] = diff > 0 ? 1 : 0;
    }
    return new Batch(Tensors.of(DType.F32, u, batch, length, 1), Tensors.ofLongs(labels, batch));
  }
}
