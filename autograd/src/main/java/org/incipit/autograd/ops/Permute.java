package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Layout;

/**
 * Reorders the axes (a view): axis i of the result is axis perm[i] of the input.
 * <pre>y = xᵀ⁽ᵖᵉʳᵐ⁾,   dx = dy permuted by the inverse permutation</pre>
 */
public final class Permute {
  private Permute() {}

  public static Tensor apply(Tensor x, int... perm) {
    Layout view = x.layout().permute(perm);
    int[] inverse = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inverse[x.shape().axis(perm[i])] = i;
    }
    return Tensor.record("permute", x.buffer(), view, (gy, y, in) -> new Tensor[] {gy.permute(inverse)}, x);
  }
}
