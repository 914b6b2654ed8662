package org.incipit.models.nets;

import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializer;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;

/**
 * A module whose parameters are given tensors, by name: the way to train a few free tensors with an
 * {@link org.incipit.optim.Optimizer} — a new token's embedding rows, CW2V's factors, a tool-token
 * head — while the model they feed stays frozen. Each parameter's initializer replays its given
 * value (so {@link #reset} restores it).
 *
 * <pre>{@code
 * FreeTensors v = new FreeTensors(Map.of("rows", initialRows));
 * AdamW opt = new AdamW(List.of(ParamGroup.of(v, AdamW.Hyper.defaults())));
 * Tensor rows = v.get("rows");     // a leaf with gradients
 * }</pre>
 */
public final class FreeTensors extends Module {
  private final Map<String, Parameter> byName = new LinkedHashMap<>();

  /** One parameter per entry, in the map's order, holding a copy of the tensor. */
  public FreeTensors(Map<String, Tensor> values) {
    Rng unused = Rng.seeded(0); // the initializers below ignore their stream
    values.forEach((name, t) -> {
      Tensor copy = t.detach();
      Initializer replay = (shape, fans, rng) -> copy;
      byName.put(name, param(name, copy.shape(), replay, unused));
    });
  }

  /** The current value of parameter {@code name}. */
  public Tensor get(String name) {
    Parameter p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException("FreeTensors: no tensor '" + name + "' (have " + byName.keySet() + ")");
    }
    return p.value();
  }
}
