package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Kernel;

/**
 * Comparisons, giving BOOL tensors; piecewise constant, so they take no gradient. Broadcast like
 * NumPy; NaN compares false except under {@code !=}, as in IEEE 754.
 */
public final class Compare {
  private Compare() {}

  public static final Kernel.Binary LT = Kernel.predicate("lt", (a, b) -> a < b ? 1 : 0, "a < b");
  public static final Kernel.Binary LE = Kernel.predicate("le", (a, b) -> a <= b ? 1 : 0, "a <= b");
  public static final Kernel.Binary GT = Kernel.predicate("gt", (a, b) -> a > b ? 1 : 0, "a > b");
  public static final Kernel.Binary GE = Kernel.predicate("ge", (a, b) -> a >= b ? 1 : 0, "a >= b");
  public static final Kernel.Binary EQ = Kernel.predicate("eq", (a, b) -> a == b ? 1 : 0, "a == b");
  public static final Kernel.Binary NE = Kernel.predicate("ne", (a, b) -> a != b ? 1 : 0, "a != b");

  public static final Kernel.Unary LT_SCALAR = new Kernel.Unary("lt_scalar", (a, s) -> a < s ? 1 : 0, "a < s", true);
  public static final Kernel.Unary LE_SCALAR = new Kernel.Unary("le_scalar", (a, s) -> a <= s ? 1 : 0, "a <= s", true);
  public static final Kernel.Unary GT_SCALAR = new Kernel.Unary("gt_scalar", (a, s) -> a > s ? 1 : 0, "a > s", true);
  public static final Kernel.Unary GE_SCALAR = new Kernel.Unary("ge_scalar", (a, s) -> a >= s ? 1 : 0, "a >= s", true);
  public static final Kernel.Unary EQ_SCALAR = new Kernel.Unary("eq_scalar", (a, s) -> a == s ? 1 : 0, "a == s", true);
  public static final Kernel.Unary NE_SCALAR = new Kernel.Unary("ne_scalar", (a, s) -> a != s ? 1 : 0, "a != s", true);

  /** a ⋈ b elementwise, broadcasting. */
  public static Tensor apply(Kernel.Binary kernel, Tensor a, Tensor b) {
    return Elementwise.binary(kernel, a, b, (gy, y, in) -> new Tensor[] {null, null});
  }

  /** x ⋈ s elementwise against a constant, for tensors of any dtype. */
  public static Tensor apply(Kernel.Unary kernel, Tensor x, double s) {
    Tensor c = x.contiguous();
    return Tensor.wrap(c.backend().unary(kernel, c.buffer(), s), x.shape());
  }
}
