package org.incipit.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** A module whose parameters have given values; helpers to build gradients without a backward pass. */
final class Fixed extends Module {
  Fixed(Map<String, Tensor> values) {
    values.forEach((name, t) -> param(name, t.shape(), (s, f, r) -> t, Rng.seeded(0)));
  }

  /** One F64 parameter "p" holding {@code values} (rank 1). */
  static Fixed f64(double... values) {
    return new Fixed(Map.of("p", Tensors.of(DType.F64, values, values.length)));
  }

  static Parameter p(Module m, String path) {
    return m.namedParameters().get(path);
  }

  /** Gradients {@code g} (of the parameter's dtype and shape) for the current value of {@code p}. */
  static Gradients grad(Parameter p, double... g) {
    Tensor v = p.value();
    return Gradients.from(Map.of(v, Tensors.of(v.dtype(), g, v.shape(), v.device())));
  }

  /** Gradients for several parameters by path. */
  static Gradients grads(Module m, Map<String, double[]> g) {
    Map<Tensor, Tensor> out = new LinkedHashMap<>();
    g.forEach((path, data) -> {
      Tensor v = p(m, path).value();
      out.put(v, Tensors.of(v.dtype(), data, v.shape(), v.device()));
    });
    return Gradients.from(out);
  }

  static Tensor f32(Shape shape, double[] data) {
    return Tensors.of(DType.F32, data, shape, org.incipit.tensor.Device.cpu());
  }
}
