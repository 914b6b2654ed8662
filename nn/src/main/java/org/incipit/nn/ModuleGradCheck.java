package org.incipit.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;

/**
 * {@link GradCheck} for a whole module: its output as a function of the input and of every
 * trainable parameter, which {@link Module#withParameters} swaps in without detaching. The module
 * is converted to F64 on the CPU first (central differences need float64).
 *
 * <pre>{@code
 * ModuleGradCheck.assertMatches(layer, x, layer::forward, GradCheck.Options.float64());
 * }</pre>
 */
public final class ModuleGradCheck {
  private ModuleGradCheck() {}

  /** Checks every element of the input and of every trainable parameter, and linearity. */
  public static void assertMatches(Module module, Tensor input, Function<Tensor, Tensor> forward, GradCheck.Options o) {
    Prepared p = prepare(module, input, forward);
    GradCheck.assertMatches(p.f(), p.inputs(), o);
  }

  /** Checks a random directional derivative (vᵀJu) and linearity: for modules too large element by element. */
  public static void assertMatchesFast(Module module, Tensor input, Function<Tensor, Tensor> forward,
                                       GradCheck.Options o) {
    Prepared p = prepare(module, input, forward);
    GradCheck.assertMatchesFast(p.f(), p.inputs(), o);
  }

  private record Prepared(Function<Tensor[], Tensor> f, Tensor[] inputs) {}

  private static Prepared prepare(Module module, Tensor input, Function<Tensor, Tensor> forward) {
    module.to(DType.F64, Device.cpu());
    List<Map.Entry<String, Parameter>> params = new ArrayList<>();
    module.namedParameters().entrySet().stream().filter(e -> e.getValue().trainable()).forEach(params::add);
    Tensor[] inputs = new Tensor[params.size() + 1];
    inputs[0] = input.dtype().isFloating() ? input.cast(DType.F64) : input;
    for (int i = 0; i < params.size(); i++) {
      inputs[i + 1] = params.get(i).getValue().value();
    }
    Function<Tensor[], Tensor> f = in -> {
      Map<String, Tensor> values = new LinkedHashMap<>();
      for (int i = 0; i < params.size(); i++) {
        values.put(params.get(i).getKey(), in[i + 1]);
      }
      return module.withParameters(values, () -> forward.apply(in[0]));
    };
    return new Prepared(f, inputs);
  }
}
