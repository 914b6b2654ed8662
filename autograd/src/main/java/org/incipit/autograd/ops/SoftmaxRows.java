package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Shape;

/**
 * Softmax and log-softmax along the last axis as one fused primitive, for backends that have the
 * "softmax" kernel ({@code Functional.softmax} uses the composite of primitives elsewhere; that
 * composite is the reference this op is tested against).
 * <pre>
 * y = softmax(x):      dx = y ⊙ (dy − Σⱼ dyⱼ yⱼ)
 * y = log-softmax(x):  dx = dy − e^y · Σⱼ dyⱼ
 * </pre>
 * When the backward builds no graph ({@link NoGrad} active) and the backend has
 * "softmax_backward", each row's rule runs as one fused kernel pass; otherwise, and always under
 * {@code GradMode.CREATE_GRAPH}, it is the Tensor code above, so higher-order gradients still work.
 */
public final class SoftmaxRows {
  private SoftmaxRows() {}

  static final BackwardRule SOFTMAX = (gy, y, in) -> new Tensor[] {
      fusedBackward(gy, y) ? backward(gy, y, false) : y.mul(gy.sub(gy.mul(y).sumKeepDims(-1)))};

  static final BackwardRule LOG_SOFTMAX = (gy, y, in) -> new Tensor[] {
      fusedBackward(gy, y) ? backward(gy, y, true) : gy.sub(y.exp().mul(gy.sumKeepDims(-1)))};

  private static boolean fusedBackward(Tensor gy, Tensor y) {
    return NoGrad.isActive() && gy.dtype() == y.dtype() && y.backend().hasFused("softmax_backward");
  }

  /** The fused rule: one kernel pass per row over contiguous dy and y. */
  private static Tensor backward(Tensor gy, Tensor y, boolean log) {
    Tensor g = gy.contiguous();
    Tensor c = y.contiguous();
    Shape s = y.shape();
    int cols = s.dim(-1);
    int rows = Elementwise.rows(s);
    return Tensor.wrap(c.backend().softmaxRowsBackward(g.buffer(), c.buffer(), rows, cols, log), s);
  }

  /** softmax (or log-softmax) of {@code x} along its last axis; x must be floating and of rank ≥ 1. */
  public static Tensor apply(Tensor x, boolean log) {
    Elementwise.requireFloating(log ? "log_softmax" : "softmax", x);
    Tensor c = x.contiguous();
    Shape s = x.shape();
    int cols = s.dim(-1);
    int rows = Elementwise.rows(s);
    return Tensor.record(log ? "log_softmax" : "softmax", c.backend().softmaxRows(c.buffer(), rows, cols, log), s,
        log ? LOG_SOFTMAX : SOFTMAX, x);
  }
}
