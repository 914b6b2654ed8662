package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Shape;

/**
 * Entries of a 1-D index along one axis (the gather of embeddings and of message passing).
 * <pre>y[…, j, …] = x[…, index[j], …],   dx = index_add of dy at the same indices</pre>
 */
public final class IndexSelect {
  private IndexSelect() {}

  public static Tensor apply(Tensor x, int dim, Tensor index) {
    Indexing.requireIndex("index_select", index);
    Devices.requireSame("index_select", x, index);
    if (index.rank() > 1) {
      throw new IllegalArgumentException("index_select: index must be 1-D, got shape " + index.shape());
    }
    int axis = x.shape().axis(dim);
    Tensor c = x.contiguous();
    Tensor ci = index.contiguous();
    Shape s = x.shape();
    int m = index.numel();
    int outer = s.numel(0, axis);
    int inner = s.numel(axis + 1, s.rank());
    var buf = Indexing.run("index_select", () ->
        c.backend().indexSelect(c.buffer(), outer, s.dim(axis), inner, ci.buffer(), m));
    return Tensor.record("index_select", buf, s.with(axis, m),
        (gy, y, in) -> new Tensor[] {Tensors.zerosLike(in[0]).indexAdd(axis, in[1], gy), null}, x, index);
  }
}
