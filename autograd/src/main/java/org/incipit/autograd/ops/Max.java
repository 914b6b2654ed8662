package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.Shape;

/**
 * Maximum along one axis (NaN-propagating).
 * <pre>y = max_k x[…, k, …],   dx = dy at the arg max (the first one on ties), 0 elsewhere</pre>
 * The gradient goes to one position, like torch.max(dim); it is scattered with {@link ScatterAdd},
 * so the rule is itself differentiable.
 */
public final class Max {
  private Max() {}

  public static Tensor apply(Tensor x, int dim, boolean keepDims) {
    int axis = x.shape().axis(dim);
    Tensor c = x.contiguous();
    int outer = x.shape().numel(0, axis);
    int n = x.size(axis);
    int inner = x.shape().numel(axis + 1, x.rank());
    Buffer values = c.backend().reduce(Backend.Reduction.MAX, c.buffer(), outer, n, inner);
    Shape kept = x.shape().with(axis, 1);
    Shape out = keepDims ? kept : x.shape().without(axis);
    return Tensor.record("max", values, out, (gy, y, in) -> {
      Tensor arg = argmax(in[0], axis).reshape(kept.dims());
      Tensor g = Tensors.zerosLike(in[0]).scatterAdd(axis, arg, gy.reshape(kept.dims()));
      return new Tensor[] {g};
    }, x);
  }

  /** I64 index of the first maximum along {@code dim} (NaN counts as the maximum), the axis removed. */
  public static Tensor argmax(Tensor x, int dim) {
    int axis = x.shape().axis(dim);
    Tensor c = x.contiguous();
    int outer = x.shape().numel(0, axis);
    int n = x.size(axis);
    int inner = x.shape().numel(axis + 1, x.rank());
    Buffer idx = c.backend().reduce(Backend.Reduction.ARGMAX, c.buffer(), outer, n, inner);
    return Tensor.wrap(idx, x.shape().without(axis));
  }
}
