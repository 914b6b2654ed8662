package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;

/**
 * Selection by a BOOL condition, broadcasting all three operands.
 * <pre>
 * y = cond ? a : b,   ∂y/∂a = cond,   ∂y/∂b = ¬cond,   no gradient for cond
 * </pre>
 * Unlike cond·a + (1−cond)·b it never mixes in the unselected value, so a masked ±Inf or NaN
 * cannot leak into y or into the gradients.
 */
public final class Where {
  private Where() {}

  static final BackwardRule RULE = (gy, y, in) -> {
    Tensor zero = gy.constant(0.0);
    return new Tensor[] {null, apply(in[0], gy, zero), apply(in[0], zero, gy)};
  };

  public static Tensor apply(Tensor cond, Tensor a, Tensor b) {
    Devices.requireSame("where", cond, a, b);
    if (cond.dtype() != DType.BOOL) {
      throw new IllegalArgumentException("where: the condition must be BOOL, got " + cond.dtype());
    }
    Shape out = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
    DType type = DType.promote(a.dtype(), b.dtype());
    Tensor cc = Elementwise.operand(cond, out, DType.BOOL);
    Tensor ca = Elementwise.operand(a, out, type);
    Tensor cb = Elementwise.operand(b, out, type);
    return Tensor.record("where", a.backend().where(cc.buffer(), ca.buffer(), cb.buffer()), out, RULE, cond, a, b);
  }
}
