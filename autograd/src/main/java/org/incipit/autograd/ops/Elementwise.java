package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Kernel;
import org.incipit.tensor.Shape;

/**
 * Shared plumbing of the elementwise primitives: dtype checks, promotion, broadcasting (operands
 * are passed as broadcast views; the backend reads them in place or gathers them), one backend
 * call, one tape record.
 */
public final class Elementwise {
  private Elementwise() {}

  /** y = f(x, s) for a floating x. */
  public static Tensor unary(Kernel.Unary kernel, Tensor x, double s, BackwardRule rule) {
    requireFloating(kernel.name(), x);
    Tensor c = x.contiguous();
    return Tensor.record(kernel.name(), c.backend().unary(kernel, c.buffer(), s), x.shape(), rule, x);
  }

  /** y = f(a, b) with NumPy broadcasting and type promotion. */
  public static Tensor binary(Kernel.Binary kernel, Tensor a, Tensor b, BackwardRule rule) {
    Devices.requireSame(kernel.name(), a, b);
    Shape out = Shape.broadcast(kernel.name(), a.shape(), b.shape());
    DType type = DType.promote(a.dtype(), b.dtype());
    Tensor ca = a.dtype() == type ? a : a.detach().cast(type);
    Tensor cb = b.dtype() == type ? b : b.detach().cast(type);
    Backend be = a.backend();
    Buffer y = be.binary(kernel, ca.buffer(), ca.layout().expand(out), cb.buffer(), cb.layout().expand(out));
    return Tensor.record(kernel.name(), y, out, rule, a, b);
  }

  /** {@code t} cast to {@code type}, broadcast to {@code shape} and contiguous (no tape entry). */
  static Tensor operand(Tensor t, Shape shape, DType type) {
    Tensor c = t.dtype() == type ? t : t.detach().cast(type);
    if (!c.shape().equals(shape)) {
      c = c.detach().expand(shape);
    }
    return c.detach().contiguous();
  }

  /** Throws unless {@code t} is F32 or F64. */
  public static void requireFloating(String op, Tensor t) {
    if (!t.dtype().isFloating()) {
      throw new IllegalArgumentException(op + ": needs a floating tensor, got " + t.dtype()
          + " " + t.shape() + " (cast it with .cast(DType.F32))");
    }
  }

  /** The rows of a tensor of shape {@code s} seen as (rows, last axis): 0 when the last axis is empty. */
  static int rows(Shape s) {
    int cols = s.dim(-1);
    return cols == 0 ? 0 : s.numel() / cols;
  }
}
