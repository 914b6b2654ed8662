package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Shape;

/**
 * Scatter-add of whole slices at a 1-D index along one axis: the aggregation step of message
 * passing. Additions happen in index order, so the result is deterministic.
 * <pre>y = x;  y[…, index[j], …] += src[…, j, …],   dx = dy,   dsrc = index_select(dy, index)</pre>
 */
public final class IndexAdd {
  private IndexAdd() {}

  public static Tensor apply(Tensor x, int dim, Tensor index, Tensor src) {
    Indexing.requireIndex("index_add", index);
    Devices.requireSame("index_add", x, index, src);
    int axis = x.shape().axis(dim);
    int m = index.numel();
    if (index.rank() > 1 || !src.shape().equals(x.shape().with(axis, m))) {
      throw new IllegalArgumentException("index_add: source " + src.shape() + " must be the target " + x.shape()
          + " with dimension " + axis + " of size " + m + " (the 1-D index " + index.shape() + ")");
    }
    if (src.dtype() != x.dtype()) {
      throw new IllegalArgumentException("index_add: source is " + src.dtype() + " but the target is " + x.dtype());
    }
    Tensor cx = x.contiguous();
    Tensor cs = src.contiguous();
    Tensor ci = index.contiguous();
    Shape s = x.shape();
    int outer = s.numel(0, axis);
    int inner = s.numel(axis + 1, s.rank());
    var buf = Indexing.run("index_add", () ->
        cx.backend().indexAdd(cx.buffer(), outer, s.dim(axis), inner, ci.buffer(), cs.buffer(), m));
    return Tensor.record("index_add", buf, s,
        (gy, y, in) -> new Tensor[] {gy, null, gy.indexSelect(axis, in[1])}, x, index, src);
  }
}
