package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.junit.jupiter.api.Test;

class ClippingTest {
  private static Fixed twoParams() {
    Map<String, Tensor> values = new LinkedHashMap<>();
    values.put("a", Tensors.zeros(2));
    values.put("b", Tensors.zeros(1));
    return new Fixed(values);
  }

  @Test
  void scalesByMaxNormOverNormWhenAbove() {
    // g = (3, 0) and (4): N = 5; maxNorm 1 → c = 1/(5 + 1e−6)
    Fixed m = twoParams();
    Gradients g = Fixed.grads(m, Map.of("a", new double[] {3, 0}, "b", new double[] {4}));
    Clipping.Clipped c = Clipping.clipByGlobalNorm(g, m.parameters(), 1.0);
    assertEquals(5.0, c.norm(), 1e-12);
    double scale = 1 / (5 + 1e-6);
    assertArrayEquals(new float[] {(float) (3 * scale), 0}, c.gradients().of(Fixed.p(m, "a").value()).toFloats());
    assertArrayEquals(new float[] {(float) (4 * scale)}, c.gradients().of(Fixed.p(m, "b").value()).toFloats());
    // the input is untouched (immutable)
    assertArrayEquals(new float[] {3, 0}, g.of(Fixed.p(m, "a").value()).toFloats());
  }

  @Test
  void leavesGradientsAloneWhenBelowAndReportsTheNorm() {
    Fixed m = twoParams();
    Gradients g = Fixed.grads(m, Map.of("a", new double[] {0.3, 0}, "b", new double[] {0.4}));
    Clipping.Clipped c = Clipping.clipByGlobalNorm(g, m.parameters(), 1.0);
    assertSame(g, c.gradients());
    assertEquals(0.5, c.norm(), 1e-7);
  }

  @Test
  void aNonFiniteNormIsReportedAndPropagatesAsDocumented() {
    // N = ∞ → c = 0: finite entries become 0, the infinite one 0·∞ = NaN (PyTorch's clip_grad_norm_)
    Fixed m = twoParams();
    Gradients inf = Fixed.grads(m, Map.of("a", new double[] {3, Double.POSITIVE_INFINITY}, "b", new double[] {4}));
    Clipping.Clipped c = Clipping.clipByGlobalNorm(inf, m.parameters(), 1.0);
    assertEquals(Double.POSITIVE_INFINITY, c.norm());
    assertArrayEquals(new float[] {0, Float.NaN}, c.gradients().of(Fixed.p(m, "a").value()).toFloats());
    assertArrayEquals(new float[] {0}, c.gradients().of(Fixed.p(m, "b").value()).toFloats());
    // N = NaN → every clipped gradient is NaN
    Gradients nan = Fixed.grads(m, Map.of("a", new double[] {3, Double.NaN}, "b", new double[] {4}));
    Clipping.Clipped d = Clipping.clipByGlobalNorm(nan, m.parameters(), 1.0);
    assertEquals(Double.NaN, d.norm());
    assertArrayEquals(new float[] {Float.NaN, Float.NaN}, d.gradients().of(Fixed.p(m, "a").value()).toFloats());
    assertArrayEquals(new float[] {Float.NaN}, d.gradients().of(Fixed.p(m, "b").value()).toFloats());
  }

  @Test
  void onlyTheListedParametersCountAndOthersPassThrough() {
    Fixed m = twoParams();
    Tensor other = Tensors.ones(3);
    Map<Tensor, Tensor> raw = new java.util.IdentityHashMap<>();
    raw.put(Fixed.p(m, "a").value(), Tensors.of(new float[] {6, 8}, 2));
    raw.put(other, Tensors.of(new float[] {100, 100, 100}, 3));
    Clipping.Clipped c = Clipping.clipByGlobalNorm(Gradients.from(raw), m.parameters(), 5.0);
    assertEquals(10.0, c.norm(), 1e-12); // "b" has no gradient, "other" is not listed
    assertArrayEquals(new float[] {100, 100, 100}, c.gradients().of(other).toFloats());
    assertArrayEquals(new float[] {3, 4}, c.gradients().of(Fixed.p(m, "a").value()).toFloats(), 1e-5f);
    assertThrows(IllegalArgumentException.class, () -> Clipping.clipByGlobalNorm(Gradients.empty(), m.parameters(), 0));
  }
}
