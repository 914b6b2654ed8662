package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;

/**
 * Matrix product of (…, m, k) and (…, k, n) with equal batch axes, or with one side a shared 2-D
 * matrix. An operand that is a transposed contiguous view is passed to the GEMM with a transpose
 * flag instead of being copied.
 * <pre>
 * C = A·B,   dA = dC·Bᵀ,   dB = Aᵀ·dC
 * </pre>
 * {@link #matmul} adds torch.matmul's rules on top: 1-D promotion and batch broadcasting.
 */
public final class MatMul {
  private MatMul() {}

  /** torch.matmul semantics. */
  public static Tensor matmul(Tensor a, Tensor b) {
    if (a.rank() == 0 || b.rank() == 0) {
      throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got " + a.shape()
          + " @ " + b.shape());
    }
    Tensor a2 = a.rank() == 1 ? a.unsqueeze(0) : a;
    Tensor b2 = b.rank() == 1 ? b.unsqueeze(-1) : b;
    checkInner(a, b, a2, b2);
    if (a2.rank() > 2 && b2.rank() > 2) {
      Shape ba = batch(a2.shape());
      Shape bb = batch(b2.shape());
      Shape batch = Shape.broadcast("matmul", ba, bb);
      a2 = a2.expand(withMatrix(batch, a2.shape()));
      b2 = b2.expand(withMatrix(batch, b2.shape()));
    }
    Tensor c = apply(a2, b2);
    if (a.rank() == 1) {
      c = c.squeeze(-2);
    }
    if (b.rank() == 1) {
      c = c.squeeze(-1);
    }
    return c;
  }

  /** The primitive: batch axes equal, or one operand 2-D. */
  public static Tensor apply(Tensor a, Tensor b) {
    Devices.requireSame("matmul", a, b);
    checkInner(a, b, a, b);
    if (a.dtype() != b.dtype()) {
      DType t = DType.promote(a.dtype(), b.dtype());
      return apply(a.cast(t), b.cast(t));
    }
    Elementwise.requireFloating("matmul", a);
    if (a.rank() > 2 && b.rank() > 2 && !batch(a.shape()).equals(batch(b.shape()))) {
      throw new IllegalArgumentException("matmul: batch shapes differ: " + a.shape() + " @ " + b.shape());
    }
    int m = a.size(-2);
    int k = a.size(-1);
    int n = b.size(-1);
    Shape batchShape = a.rank() > 2 ? batch(a.shape()) : batch(b.shape());
    int batch = batchShape.numel();
    Operand oa = Operand.of(a);
    Operand ob = Operand.of(b);
    Buffer out;
    if (a.rank() > 2 && b.rank() == 2 && !oa.trans) {
      out = a.backend().matmul(oa.buffer, false, false, ob.buffer, false, ob.trans, 1, batch * m, k, n);
    } else {
      out = a.backend().matmul(oa.buffer, a.rank() > 2, oa.trans, ob.buffer, b.rank() > 2, ob.trans, batch, m, k, n);
    }
    boolean aTrans = oa.trans; // read by the backward rule, so it never re-derives them with a copy
    boolean bTrans = ob.trans;
    return Tensor.record("matmul", out, withMatrix(batchShape, Shape.of(m, n)), (gy, y, in) -> {
      Tensor x = in[0];
      Tensor w = in[1];
      // An operand that is a transposed view (x·Wᵀ in Linear) gets its gradient computed transposed,
      // (gyᵀ·x)ᵀ instead of xᵀ·gy: the same product, but the view's own backward then undoes the
      // transpose and the leaf receives a contiguous gradient instead of a strided copy.
      Tensor dx = aTrans && x.rank() == 2 && w.rank() == 2
          ? apply(w, gy.transpose(0, 1)).transpose(0, 1)
          : apply(gy, w.transpose(-1, -2));
      Tensor dw;
      if (w.rank() == 2 && x.rank() > 2) {
        dw = bTrans
            ? apply(gy.reshape(-1, n).transpose(0, 1), x.reshape(-1, k)).transpose(0, 1)
            : apply(x.reshape(-1, k).transpose(0, 1), gy.reshape(-1, n));
      } else {
        dw = bTrans && w.rank() == 2 && x.rank() == 2
            ? apply(gy.transpose(0, 1), x).transpose(0, 1)
            : apply(x.transpose(-1, -2), gy);
      }
      return new Tensor[] {dx, dw};
    }, a, b);
  }

  private static void checkInner(Tensor a, Tensor b, Tensor a2, Tensor b2) {
    if (a2.size(-1) != b2.size(-2)) {
      throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape() + " @ " + b.shape()
          + " (" + a2.size(-1) + " vs " + b2.size(-2) + ")");
    }
  }

  private static Shape batch(Shape s) {
    int[] d = s.dims();
    return Shape.of(java.util.Arrays.copyOf(d, Math.max(0, d.length - 2)));
  }

  private static Shape withMatrix(Shape batch, Shape matrix) {
    int[] b = batch.dims();
    int[] out = java.util.Arrays.copyOf(b, b.length + 2);
    out[b.length] = matrix.dim(-2);
    out[b.length + 1] = matrix.dim(-1);
    return Shape.of(out);
  }

  /** A buffer ready for the GEMM: row-major as is, or row-major after swapping the last two axes. */
  private record Operand(Buffer buffer, boolean trans) {
    static Operand of(Tensor t) {
      if (t.isContiguous()) {
        return new Operand(t.buffer(), false);
      }
      Tensor swapped = t.detach().transpose(-1, -2);
      if (swapped.isContiguous()) {
        return new Operand(t.buffer(), true);
      }
      return new Operand(t.detach().contiguous().buffer(), false);
    }
  }
}
