package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Shape;

/**
 * A bias added along the last axis and an activation, as one fused primitive for backends that
 * have the "bias_act" kernel (the reference composite is {@code act(z.add(b))}).
 * <pre>
 * y = act(z + b),   b broadcast over every row of z's last axis,   act ∈ {identity, relu}
 * dz = dy ⊙ act′(y),   db = Σ_rows dz        (relu′(y) = [y &gt; 0], so relu′(0) = 0, as PyTorch)
 * </pre>
 * When the backward builds no graph ({@link NoGrad} active), relu's dz and db come from one kernel
 * pass (identity's dz is dy itself, and db its column sums); under {@code GradMode.CREATE_GRAPH}
 * the rule is the Tensor code above. {@link #reluBackward} gives {@link Relu} the same one-pass dz.
 *
 * <pre>{@code
 * Tensor h = BiasActivation.apply(x.matmul(w.transpose(0, 1)), b, "relu"); // (N, out)
 * }</pre>
 */
public final class BiasActivation {
  private BiasActivation() {}

  /** Whether {@link #apply} can run for z and b: same floating dtype, b 1-D of z's last size, fused kernel. */
  public static boolean fusable(Tensor z, Tensor b) {
    return z.rank() >= 1 && b.rank() == 1 && z.dtype().isFloating() && z.dtype() == b.dtype()
        && b.size(0) == z.size(-1) && z.backend() == b.backend() && z.backend().hasFused("bias_act");
  }

  /** act(z + b) for act "identity" or "relu"; see {@link #fusable} for what z and b must be. */
  public static Tensor apply(Tensor z, Tensor b, String act) {
    if (!fusable(z, b)) {
      throw new IllegalArgumentException("bias_act: needs z (…, C) and bias (C) of one float dtype on a backend with"
          + " the fused kernel, got " + z.shape() + " " + z.dtype() + " and " + b.shape() + " " + b.dtype());
    }
    boolean relu = switch (act) {
      case "relu" -> true;
      case "identity" -> false;
      default -> throw new IllegalArgumentException("bias_act: unknown activation '" + act + "' (identity, relu)");
    };
    Tensor cz = z.contiguous();
    Tensor cb = b.contiguous();
    Shape s = z.shape();
    int cols = s.dim(-1);
    int rows = Elementwise.rows(s);
    BackwardRule rule = (gy, y, in) -> relu ? reluRule(gy, y, rows, cols) : new Tensor[] {gy, columnSums(gy)};
    return Tensor.record("bias_" + act, cz.backend().biasActivation(cz.buffer(), cb.buffer(), rows, cols, act), s,
        rule, cz, cb);
  }

  /** db = Σ over every axis but the last. */
  private static Tensor columnSums(Tensor dz) {
    int[] lead = new int[dz.rank() - 1];
    for (int i = 0; i < lead.length; i++) {
      lead[i] = i;
    }
    return lead.length == 0 ? dz : dz.sum(lead);
  }

  private static Tensor[] reluRule(Tensor gy, Tensor y, int rows, int cols) {
    if (!NoGrad.isActive() || gy.dtype() != y.dtype()) {
      Tensor dz = gy.mul(y.gt(0.0).cast(gy.dtype()));
      return new Tensor[] {dz, columnSums(dz)};
    }
    Tensor g = gy.contiguous();
    Tensor db = Tensors.zeros(Shape.of(cols), y.dtype(), y.device()); // (C), filled by the kernel
    var dz = y.backend().biasActivationBackward(g.buffer(), y.contiguous().buffer(), rows, cols, "relu", db.buffer());
    return new Tensor[] {Tensor.wrap(dz, y.shape()), db};
  }

  /** dz = dy ⊙ [y &gt; 0] in one pass, or null where that kernel is missing or a graph is being built. */
  static Tensor reluBackward(Tensor gy, Tensor y) {
    if (!NoGrad.isActive() || gy.dtype() != y.dtype() || !y.dtype().isFloating()
        || !y.backend().hasFused("bias_act") || !gy.shape().equals(y.shape())) {
      return null;
    }
    Tensor g = gy.contiguous();
    return Tensor.wrap(y.backend().biasActivationBackward(g.buffer(), y.contiguous().buffer(), 1, y.numel(), "relu",
        null), y.shape());
  }
}
