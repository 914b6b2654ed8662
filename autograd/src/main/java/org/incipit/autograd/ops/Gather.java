package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Shape;

/**
 * torch.gather along one axis: the index has the input's rank and the result has the index's
 * shape.
 * <pre>y[…, j, …] = x[…, index[…, j, …], …],   dx = scatter_add of dy at the same indices</pre>
 * Along the other axes the index may be shorter than the input (as in PyTorch).
 */
public final class Gather {
  private Gather() {}

  public static Tensor apply(Tensor x, int dim, Tensor index) {
    Indexing.requireIndex("gather", index);
    Devices.requireSame("gather", x, index);
    int axis = x.shape().axis(dim);
    if (index.rank() != x.rank()) {
      throw new IllegalArgumentException("gather: index of shape " + index.shape() + " must have the rank of the input "
          + x.shape());
    }
    Tensor src = x;
    for (int d = 0; d < x.rank(); d++) {
      if (d != axis && index.size(d) != x.size(d)) {
        if (index.size(d) > x.size(d)) {
          throw new IllegalArgumentException("gather: index " + index.shape() + " is larger than the input "
              + x.shape() + " at dimension " + d);
        }
        src = src.slice(d, 0, index.size(d), 1);
      }
    }
    Tensor c = src.contiguous();
    Tensor ci = index.contiguous();
    Shape s = c.shape();
    int outer = s.numel(0, axis);
    int inner = s.numel(axis + 1, s.rank());
    var buf = Indexing.run("gather", () ->
        c.backend().gather(c.buffer(), outer, s.dim(axis), inner, ci.buffer(), index.size(axis)));
    return Tensor.record("gather", buf, index.shape(),
        (gy, y, in) -> new Tensor[] {Tensors.zerosLike(in[0]).scatterAdd(axis, in[1], gy), null}, c, index);
  }
}
