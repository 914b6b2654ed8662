package org.incipit.nn.adapters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.incipit.init.linalg.Dense;
import org.incipit.init.lora.Eva;
import org.incipit.nn.Module;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * EVA applied to a model (PEFT's {@code init_lora_weights="eva"} with {@code
 * initialize_lora_eva_weights}): runs forward passes batch by batch, feeds each targeted Linear's
 * inputs to an incremental PCA, redistributes the rank budget, and builds the adapters with the
 * resulting ranks — A = the principal directions, B = 0 (outputs unchanged), α_ℓ = α·rank_ℓ/r.
 * The algorithm, its paper and its choices are in {@link Eva}. Held by {@code EvaInitTest}.
 *
 * <pre>{@code
 * LoraModel lora = EvaInit.fit(net, p -> true, 4, 4, new EvaInit.Options(2.0, 0.99, false, 50),
 *     t -> () -> net.forward(batch(t)), rng);
 * }</pre>
 */
public final class EvaInit {
  private EvaInit() {}

  /** ρ (≥ 1), τ, whitening, and the most batches to run (PEFT's defaults: 2, 0.99, false). */
  public record Options(double rho, double tau, boolean whiten, int maxBatches) {
    public static Options defaults() {
      return new Options(2.0, 0.99, false, 100);
    }
  }

  /**
   * EVA on every Linear of {@code model} whose path {@code targets} accepts, each with budget rank
   * r; {@code forward.apply(t)} runs the model on batch t. Returns the adapted model.
   */
  public static LoraModel fit(Module model, Predicate<String> targets, int r, double alpha, Options o,
                              IntFunction<Runnable> forward, Rng rng) {
    Map<String, Linear> layers = LoraModel.linears(model, targets);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("eva: no Linear layer matched the targets in " + model.getClass().getSimpleName());
    }
    Map<String, Integer> budget = new LinkedHashMap<>();
    int[] features = new int[layers.size()];
    int i = 0;
    for (Map.Entry<String, Linear> e : layers.entrySet()) {
      budget.put(e.getKey(), r);
      features[i++] = e.getValue().inFeatures();
    }
    Eva.Result res = Eva.fit(budget, features, o.rho(), o.tau(), o.whiten(), o.maxBatches(),
        t -> LoraModel.inputsOf(layers, forward.apply(t)));
    LoraModel lora = LoraModel.withRanks(model, res.ranks(), r, alpha, rng);
    lora.adapters().forEach((path, adapter) -> {
      LoRALinear l = (LoRALinear) adapter;
      l.loraA().assign(Dense.tensor(res.a().get(path), DType.F64));
      l.loraB().assign(Dense.tensor(new double[l.base().outFeatures()][l.rank()], DType.F64));
    });
    return lora;
  }

  /** The ranks EVA gave each adapted layer (0 where it dropped the adapter). */
  public static Map<String, Integer> ranks(LoraModel lora, Module model, Predicate<String> targets) {
    Map<String, Integer> out = new LinkedHashMap<>();
    LoraModel.linears(model, targets).keySet().forEach(p -> out.put(p, lora.adapters().containsKey(p)
        ? lora.adapters().get(p).rank() : 0));
    return out;
  }
}
