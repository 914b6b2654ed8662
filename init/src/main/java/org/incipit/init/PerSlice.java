package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A packed weight — fused QKV [3d, d], a gated MLP's [2h, d] — drawn as {@code parts} separate
 * slices along dim 0, each with the fans of its own slice shape [out/parts, in, k…] and its own
 * stream {@code rng.fork(i)}. Drawn whole, a packed matrix gets fan_out = parts·d, so Xavier gives
 * it √parts too little std for what each projection really is (pytorch#166378; transformers#39447
 * for gate/up matrices). {@code incipit lint} flags packed matrices drawn without it.
 *
 * <pre>W = concat₀(init(slice₀), …, init(slice_{parts−1})),   slice shape [out/parts, in, k…]</pre>
 * Held by {@code InitProvenanceTest.perSliceDrawsEachSliceWithItsOwnFans}.
 */
public record PerSlice(int parts, Initializer base) implements Initializer {
  public PerSlice {
    if (parts < 1) {
      throw new IllegalArgumentException("per-slice init: parts must be ≥ 1, got " + parts);
    }
  }

  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    Shape slice = slice(shape);
    int n = slice.numel();
    double[] out = new double[shape.numel()];
    for (int i = 0; i < parts; i++) {
      double[] v = base.create(slice, Fans.of(slice), rng.fork(i)).toDoubles();
      System.arraycopy(v, 0, out, i * n, n);
    }
    return Tensors.of(DType.F32, out, shape.dims());
  }

  @Override
  public Expected expected(Shape shape, Fans fans) {
    Shape slice = slice(shape);
    return base.expected(slice, Fans.of(slice));
  }

  private Shape slice(Shape shape) {
    if (shape.rank() < 2 || shape.dim(0) % parts != 0) {
      throw new IllegalArgumentException("per-slice init: " + parts + " parts do not divide dim 0 of " + shape);
    }
    int[] d = shape.dims();
    d[0] /= parts;
    return Shape.of(d);
  }
}
