package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Shape;

/**
 * torch.scatter_add along one axis, for an index shaped like {@code src} and, off the axis, like
 * the target. Additions happen in index order, so the result is deterministic.
 * <pre>y = x;  y[…, index[…, j, …], …] += src[…, j, …],   dx = dy,   dsrc = gather(dy, index)</pre>
 */
public final class ScatterAdd {
  private ScatterAdd() {}

  public static Tensor apply(Tensor x, int dim, Tensor index, Tensor src) {
    Indexing.requireIndex("scatter_add", index);
    Devices.requireSame("scatter_add", x, index, src);
    int axis = x.shape().axis(dim);
    if (!index.shape().equals(src.shape()) || index.rank() != x.rank()
        || !index.shape().with(axis, 1).equals(x.shape().with(axis, 1))) {
      throw new IllegalArgumentException("scatter_add: index " + index.shape() + " and source " + src.shape()
          + " must agree, and match the target " + x.shape() + " outside dimension " + axis);
    }
    if (src.dtype() != x.dtype()) {
      throw new IllegalArgumentException("scatter_add: source is " + src.dtype() + " but the target is " + x.dtype());
    }
    Tensor cx = x.contiguous();
    Tensor cs = src.contiguous();
    Tensor ci = index.contiguous();
    Shape s = x.shape();
    int outer = s.numel(0, axis);
    int inner = s.numel(axis + 1, s.rank());
    var buf = Indexing.run("scatter_add", () -> cx.backend().scatterAdd(cx.buffer(), outer, s.dim(axis), inner,
        ci.buffer(), cs.buffer(), index.size(axis)));
    return Tensor.record("scatter_add", buf, s,
        (gy, y, in) -> new Tensor[] {gy, null, gy.gather(axis, in[1])}, x, index, src);
  }
}
