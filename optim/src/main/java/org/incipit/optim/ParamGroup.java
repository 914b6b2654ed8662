package org.incipit.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;

/**
 * Parameters that share hyperparameters, by path. An optimizer takes a list of groups whose paths
 * are distinct; its state is keyed by those paths.
 *
 * <pre>{@code
 * var groups = ParamGroup.splitDecay(model, AdamW.Hyper.defaults().withWeightDecay(0.1));
 * Optimizer opt = new AdamW(groups);   // weights decay, biases and norm gains do not
 * }</pre>
 *
 * @param name a label for messages ("decay", "no_decay", "head", …)
 * @param params the parameters by path, in order (copied)
 * @param hyper the group's hyperparameters
 */
public record ParamGroup<H extends Hyperparameters<H>>(String name, Map<String, Parameter> params, H hyper) {
  public ParamGroup {
    if (name == null || hyper == null || params == null) {
      throw new IllegalArgumentException("a parameter group needs a name, parameters and hyperparameters");
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** One group named "all" holding every parameter of {@code module}. */
  public static <H extends Hyperparameters<H>> ParamGroup<H> of(Module module, H hyper) {
    return new ParamGroup<>("all", module.namedParameters(), hyper);
  }

  /**
   * Splits parameters into a group "decay" with {@code hyper} and a group "no_decay" with
   * {@code hyper.withWeightDecay(0)}. A parameter goes to "no_decay" when its rank is ≤ 1: biases,
   * LayerNorm/RMSNorm gains and shifts, and scalars — decaying those towards 0 only fights the
   * normalisation (the GPT-2 / nanoGPT convention). Embedding tables and weights (rank ≥ 2)
   * decay. Empty groups are left out.
   */
  public static <H extends Hyperparameters<H>> List<ParamGroup<H>> splitDecay(Map<String, Parameter> params, H hyper) {
    Map<String, Parameter> decay = new LinkedHashMap<>();
    Map<String, Parameter> noDecay = new LinkedHashMap<>();
    params.forEach((path, p) -> (p.shape().rank() <= 1 ? noDecay : decay).put(path, p));
    List<ParamGroup<H>> out = new ArrayList<>();
    if (!decay.isEmpty()) {
      out.add(new ParamGroup<>("decay", decay, hyper));
    }
    if (!noDecay.isEmpty()) {
      out.add(new ParamGroup<>("no_decay", noDecay, hyper.withWeightDecay(0)));
    }
    return out;
  }

  /** {@link #splitDecay(Map, Hyperparameters)} over every parameter of {@code module}. */
  public static <H extends Hyperparameters<H>> List<ParamGroup<H>> splitDecay(Module module, H hyper) {
    return splitDecay(module.namedParameters(), hyper);
  }
}
