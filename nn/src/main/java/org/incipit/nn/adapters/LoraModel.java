package org.incipit.nn.adapters;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.nn.HookHandle;
import org.incipit.nn.Layer;
import org.incipit.nn.Module;
import org.incipit.nn.ModuleList;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;

/**
 * LoRA adapters on the {@link Linear} layers of an existing model, chosen by path — what PEFT's
 * {@code get_peft_model(model, LoraConfig(target_modules=…))} does. The model's layers are fields
 * fixed at construction, so the adapters are not swapped in; instead {@link #call} runs the model
 * with every adapted weight bound to W0 + s·ΔW (a functional call, {@link Module#withParameters}):
 * <pre>y = x (W0 + s·B·A)ᵀ + b = base(x) + s·x Aᵀ Bᵀ</pre>
 * which is LoRA's forward to rounding, with gradients reaching A and B (or R) through the bound
 * weight. Building the adapters freezes the adapted base weights; this module's parameters are the
 * adapters' (frozen bases included), so {@code AdamW.of(lora, …)} trains only the adapters.
 *
 * <p>Initialize with {@link LoraScheme#apply}; {@link #baseGradients} and {@link #inputs} collect
 * what the data-driven schemes need. Held by {@code LoraModelTest}.
 */
public final class LoraModel extends Module {
  private final Module model;
  private final Map<String, LowRankAdapter> adapters = new LinkedHashMap<>();

  private LoraModel(Module model, Map<String, LowRankAdapter> byPath) {
    this.model = model;
    this.adapters.putAll(byPath);
    child("adapters", new ModuleList<>(new ArrayList<>(byPath.values())));
  }

  /** Plain LoRA (A ~ U(±1/√in), B = 0) of rank r on every Linear whose path {@code targets} accepts. */
  public static LoraModel lora(Module model, Predicate<String> targets, int rank, double alpha, Rng rng) {
    Map<String, Integer> ranks = new LinkedHashMap<>();
    linears(model, targets).keySet().forEach(p -> ranks.put(p, rank));
    return withRanks(model, ranks, rank, alpha, rng);
  }

  /**
   * LoRA with a rank per path (EVA's redistribution); a rank of 0 leaves that layer unadapted.
   * Each layer gets α_ℓ = α·r_ℓ/r, so its scale s = α_ℓ/r_ℓ = α/r is the same everywhere.
   */
  public static LoraModel withRanks(Module model, Map<String, Integer> ranks, int r, double alpha, Rng rng) {
    Map<String, Linear> found = linears(model, ranks::containsKey);
    Map<String, LowRankAdapter> out = new LinkedHashMap<>();
    ranks.forEach((path, rank) -> {
      if (!found.containsKey(path)) {
        throw new IllegalArgumentException("lora: no Linear at '" + path + "' (Linear layers: " + linears(model, p -> true).keySet() + ")");
      }
      if (rank > 0) {
        out.put(path, sameDevice(new LoRALinear(found.get(path), rank, alpha * rank / r, Module.forkPath(rng, path))));
      }
    });
    return checked(model, out);
  }

  /** LoRA-XS / LoRA-SB adapters (B·R·A, only R trains) of rank r on the targeted Linear layers. */
  public static LoraModel loraXs(Module model, Predicate<String> targets, int rank, double alpha, Rng rng) {
    Map<String, LowRankAdapter> out = new LinkedHashMap<>();
    linears(model, targets).forEach((path, lin) -> out.put(path, sameDevice(new LoRAXSLinear(lin, rank, alpha, Module.forkPath(rng, path)))));
    return checked(model, out);
  }

  /** The adapter in its base weight's dtype and on its device. */
  private static LowRankAdapter sameDevice(LowRankAdapter a) {
    Tensor w = a.base().weight().value();
    a.to(w.dtype(), w.device());
    return a;
  }

  private static LoraModel checked(Module model, Map<String, LowRankAdapter> adapters) {
    if (adapters.isEmpty()) {
      throw new IllegalArgumentException("lora: no Linear layer matched the targets in " + model.getClass().getSimpleName()
          + " (Linear layers: " + linears(model, p -> true).keySet() + ")");
    }
    return new LoraModel(model, adapters);
  }

  /** The Linear layers of {@code model} by path, in order, whose path {@code targets} accepts. */
  static Map<String, Linear> linears(Module model, Predicate<String> targets) {
    Map<String, Linear> out = new LinkedHashMap<>();
    model.namedModules().forEach((path, m) -> {
      if (m instanceof Linear lin && !path.isEmpty() && targets.test(path)) {
        out.put(path, lin);
      }
    });
    return out;
  }

  /** Runs {@code body} (which calls the wrapped model) with every adapted weight bound to W0 + s·ΔW. */
  public <T> T call(Supplier<T> body) {
    Map<String, Tensor> bound = new LinkedHashMap<>();
    adapters.forEach((path, a) -> bound.put(path + ".weight", a.effectiveWeight()));
    return model.withParameters(bound, body);
  }

  /**
   * The full fine-tuning gradient of every adapted base weight, averaged over the given losses
   * (each a closure running the wrapped model on one batch, without the adapters): what LoRA-GA and
   * LoRA-SB start from. The base weights are left as they were.
   */
  public Map<String, Tensor> baseGradients(List<Supplier<Tensor>> losses) {
    Map<String, Tensor> sum = new LinkedHashMap<>();
    for (Supplier<Tensor> loss : losses) {
      Map<String, Tensor> leaves = new LinkedHashMap<>();
      adapters.forEach((path, a) -> leaves.put(path + ".weight", a.base().weight().value().detach().withGrad()));
      Gradients g = model.withParameters(leaves, loss).backward();
      leaves.forEach((key, leaf) -> {
        String path = key.substring(0, key.length() - ".weight".length());
        Tensor gi = g.orZeros(leaf);
        sum.merge(path, gi, (x, y) -> NoGrad.run(() -> x.add(y)));
      });
    }
    Map<String, Tensor> mean = new LinkedHashMap<>();
    sum.forEach((path, g) -> mean.put(path, NoGrad.run(() -> g.div(losses.size()))));
    return mean;
  }

  /**
   * The inputs every adapted layer sees while {@code forward} runs (under NoGrad), each as rows
   * (…, in) → (N, in) in double: what EVA and CorDA start from.
   */
  public Map<String, double[][]> inputs(Runnable forward) {
    Map<String, Linear> bases = new LinkedHashMap<>();
    adapters.forEach((path, a) -> bases.put(path, a.base()));
    return inputsOf(bases, forward);
  }

  /** The inputs each of {@code layers} sees while {@code forward} runs (under NoGrad), as rows (N, in). */
  static Map<String, double[][]> inputsOf(Map<String, Linear> layers, Runnable forward) {
    Map<String, double[][]> out = new LinkedHashMap<>();
    List<HookHandle> hooks = new ArrayList<>();
    layers.forEach((path, lin) -> hooks.add(lin.addHook((Layer layer, Tensor x, Tensor y) -> {
      int in = x.size(x.rank() - 1);
      double[] flat = x.toDoubles();
      double[][] rows = new double[flat.length / in][in];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(flat, i * in, rows[i], 0, in);
      }
      out.merge(path, rows, LoraModel::stack);
    })));
    try (NoGrad ignored = NoGrad.enter()) {
      forward.run();
    } finally {
      hooks.forEach(HookHandle::close);
    }
    return out;
  }

  private static double[][] stack(double[][] a, double[][] b) {
    double[][] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** The adapters by the path of the Linear they adapt, in model order. */
  public Map<String, LowRankAdapter> adapters() {
    return Collections.unmodifiableMap(adapters);
  }

  /** The wrapped model. */
  public Module model() {
    return model;
  }

  /** How many parameter elements train (LoRA: r·(m + n) per layer; LoRA-XS/SB: r²). */
  public long trainableParameterCount() {
    long n = 0;
    for (Parameter p : namedParameters().values()) {
      n += p.trainable() ? p.shape().numel() : 0;
    }
    return n;
  }
}
