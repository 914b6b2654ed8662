package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Layout;
import org.incipit.tensor.Shape;

/**
 * Concatenation along one axis; every other size must agree.
 * <pre>y = [x₀; x₁; …],   dxᵢ = the slice of dy where xᵢ landed</pre>
 */
public final class Cat {
  private Cat() {}

  public static Tensor apply(int dim, Tensor... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("cat: needs at least one tensor");
    }
    Devices.requireSame("cat", parts);
    Shape first = parts[0].shape();
    int axis = first.axis(dim);
    int total = 0;
    DType type = parts[0].dtype();
    for (int i = 0; i < parts.length; i++) {
      Shape s = parts[i].shape();
      if (s.rank() != first.rank() || !s.with(axis, 1).equals(first.with(axis, 1))) {
        throw new IllegalArgumentException("cat: sizes differ outside the concatenated dim " + axis
            + ": tensor " + i + " has shape " + s + ", tensor 0 has " + first);
      }
      total += s.dim(axis);
      type = DType.promote(type, parts[i].dtype());
    }
    Shape out = first.with(axis, total);
    Buffer buffer = parts[0].backend().zeros(type, out.numel());
    int[] offsets = new int[parts.length];
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      offsets[i] = at;
      int len = parts[i].size(axis);
      Tensor c = parts[i].detach().cast(type).contiguous();
      if (len > 0) {
        Layout region = Layout.contiguous(out).slice(axis, at, at + len, 1);
        c.backend().scatterStrided(buffer, region, c.buffer());
      }
      at += len;
    }
    return Tensor.record("cat", buffer, out, (gy, y, in) -> {
      Tensor[] grads = new Tensor[in.length];
      for (int i = 0; i < in.length; i++) {
        grads[i] = gy.slice(axis, offsets[i], offsets[i] + in[i].size(axis), 1);
      }
      return grads;
    }, parts);
  }
}
