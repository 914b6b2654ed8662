package org.incipit.nn.kan;

import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.tensor.DType;

/** Gradcheck of a layer in F64 with respect to its input and every trainable parameter (as LayersTest). */
final class KanGradcheck {
  private KanGradcheck() {}

  /**
   * Form B has a kink at b_j = 0 (|b_j|); fitted presets leave some b_j within 10⁻⁵ of it, closer
   * than the gradcheck step. Such non-zero b_j are moved to ±10⁻³ (b_j = 0 exactly is no problem:
   * both derivatives are 0 there, by symmetry and by sign(0) = 0).
   */
  static void offTheCoefficientKink(GroupRational layer) {
    if (layer.form() != Denominator.SUM_OF_ABS) {
      return;
    }
    double[] b = layer.denominator().value().toDoubles();
    for (int i = 0; i < b.length; i++) {
      b[i] = b[i] != 0 && Math.abs(b[i]) < 1e-3 ? Math.copySign(1e-3, b[i]) : b[i];
    }
    layer.denominator().assign(org.incipit.autograd.Tensors.of(DType.F64, b, layer.denominator().shape().dims()));
  }

  static void assertLayer(Layer layer, Tensor x) {
    org.incipit.nn.ModuleGradCheck.assertMatches(layer, x, layer::forward, GradCheck.Options.float64());
  }
}
