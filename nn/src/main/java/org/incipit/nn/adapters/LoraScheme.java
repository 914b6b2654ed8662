package org.incipit.nn.adapters;

import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.init.linalg.Dense;
import org.incipit.init.lora.LoraXsInits;
import org.incipit.init.lora.LowRankFactors;
import org.incipit.init.lora.PeftInits;
import org.incipit.nn.Module;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * An initialization of every adapter of a {@link LoraModel}: PEFT's {@code init_lora_weights}
 * values and the surveyed LoRA-XS / LoRA-SB schemes, each a value carrying the data it needs
 * (gradients, input covariances). The math — and its formulas, papers and choices — is in
 * {@link PeftInits} and {@link LoraXsInits}; this class computes it per adapted layer in double and
 * writes A, B (R) and, for the residual schemes, the new base weight W0 − s·B·A.
 *
 * <pre>{@code
 * LoraModel lora = LoraModel.lora(gpt, p -> p.endsWith("attn.wq") || p.endsWith("attn.wv"), 4, 8, rng);
 * LoraScheme.pissa().apply(lora, rng.fork("init"));
 * }</pre>
 * Held by {@code LoraSchemeTest} (residual schemes leave every output unchanged, BA = 0 where the
 * scheme says so, MiCA's B is frozen, LoRA-XS/SB need XS adapters).
 */
public sealed interface LoraScheme {
  /** {@code init_lora_weights=True}: A ~ U(±1/√in), B = 0. */
  static LoraScheme kaimingDefault() {
    return new Peft("default", (w, g, r, alpha, rng) -> PeftInits.kaimingDefault(w, r, rng), false, null);
  }

  /** {@code "gaussian"}: A ~ N(0, 1/r²), B = 0. */
  static LoraScheme gaussian() {
    return new Peft("gaussian", (w, g, r, alpha, rng) -> PeftInits.gaussian(w, r, rng), false, null);
  }

  /** {@code "pissa"}: the principal singular triplets of W0, residual base. */
  static LoraScheme pissa() {
    return new Peft("pissa", (w, g, r, alpha, rng) -> PeftInits.pissa(w, r, alpha), false, null);
  }

  /** {@code "olora"}: W0 = QR, B = Q_r, A = R_r, residual base. */
  static LoraScheme olora() {
    return new Peft("olora", (w, g, r, alpha, rng) -> PeftInits.olora(w, r, alpha), false, null);
  }

  /** {@code "orthogonal"}: BA = 0 exactly, W0 untouched (even r). */
  static LoraScheme orthogonal() {
    return new Peft("orthogonal", (w, g, r, alpha, rng) -> PeftInits.orthogonal(w, r, rng), false, null);
  }

  /** {@code "mica"}: B = the minor left singular directions of W0 (frozen), A = 0. */
  static LoraScheme mica() {
    return new Peft("mica", (w, g, r, alpha, rng) -> PeftInits.mica(w, r), true, null);
  }

  /** {@code "lora_ga"} with γ = 16, from each adapted weight's averaged gradient ({@link LoraModel#baseGradients}). */
  static LoraScheme loraGa(Map<String, Tensor> gradients) {
    return new Peft("lora_ga", (w, g, r, alpha, rng) -> PeftInits.loraGa(w, g, r, alpha, 16), false, gradients);
  }

  /**
   * {@code "corda"} from each adapted layer's input covariance C = E[xxᵀ] (see {@link #covariances});
   * {@code kpm} false = IPM (top r), true = KPM (bottom r).
   */
  static LoraScheme corda(Map<String, Tensor> covariances, boolean kpm) {
    return new Peft(kpm ? "corda_kpm" : "corda_ipm", (w, c, r, alpha, rng) -> PeftInits.corda(w, c, r, alpha, kpm), false,
        covariances);
  }

  /** LoRA-XS: B = U_r, A = Σ_r V_rᵀ from W0, R ~ N(0, 1e−10) (needs {@link LoraModel#loraXs} adapters). */
  static LoraScheme loraXs() {
    return new Xs("lora_xs", null, 0, true);
  }

  /** LoRA-SB: the top-r SVD of −η·sign(G), R = diag(S_r)/s (needs {@link LoraModel#loraXs} adapters). */
  static LoraScheme loraSb(Map<String, Tensor> gradients, double lr) {
    return new Xs("lora_sb", gradients, lr, true);
  }

  /** LoRA-SB's sign-free variant: the top-r SVD of −η·G itself (the spec's diagnostic; exact when rank G ≤ r). */
  static LoraScheme loraSbSignFree(Map<String, Tensor> gradients, double lr) {
    return new Xs("lora_sb_sign_free", gradients, lr, false);
  }

  /** C = (1/N) Σ x xᵀ of each layer's input rows (as collected by {@link LoraModel#inputs}). */
  static Map<String, Tensor> covariances(Map<String, double[][]> inputs) {
    Map<String, Tensor> out = new java.util.LinkedHashMap<>();
    inputs.forEach((path, x) -> {
      double[][] c = Dense.mul(Dense.transpose(x), x);
      out.put(path, Dense.tensor(Dense.scale(1.0 / x.length, c), DType.F64));
    });
    return out;
  }

  /** Initializes every adapter of {@code lora}; the stream for layer "p" is {@code rng.fork(p)}. */
  void apply(LoraModel lora, Rng rng);

  /** One layer's math: W0, the per-layer data (or null), r, α, rng → factors. */
  @FunctionalInterface
  interface LayerRule {
    LowRankFactors factors(double[][] w0, double[][] data, int r, double alpha, Rng rng);
  }

  /** A scheme over {@link LoRALinear} adapters. */
  record Peft(String name, LayerRule rule, boolean freezeB, Map<String, Tensor> data) implements LoraScheme {
    @Override
    public void apply(LoraModel lora, Rng rng) {
      lora.adapters().forEach((path, adapter) -> {
        if (!(adapter instanceof LoRALinear l)) {
          throw new IllegalArgumentException("lora init " + name + ": '" + path + "' is a " + adapter.getClass().getSimpleName()
              + ", the scheme needs LoRALinear adapters (LoraModel.lora)");
        }
        double[][] w0 = Dense.of(l.base().weight().value(), "lora init " + name);
        double alpha = l.scale() * l.rank();
        LowRankFactors f = rule.factors(w0, layerData(name, data, path), l.rank(), alpha, Module.forkPath(rng, path));
        l.loraA().assign(Dense.tensor(f.a(), DType.F64));
        l.loraB().assign(Dense.tensor(f.b(), DType.F64));
        if (!java.util.Arrays.deepEquals(f.base(), w0)) {
          // residual: subtract the factors as stored (rounded to the adapter's dtype), so base + s·BA = W0 to that dtype
          double[][] stored = Dense.mul(Dense.of(l.loraB().value(), name), Dense.of(l.loraA().value(), name));
          l.base().weight().assign(Dense.tensor(Dense.combine(1, w0, -l.scale(), stored), DType.F64));
        }
        l.loraB().setTrainable(!freezeB);
      });
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A scheme over {@link LoRAXSLinear} adapters. */
  record Xs(String name, Map<String, Tensor> gradients, double lr, boolean sign) implements LoraScheme {
    @Override
    public void apply(LoraModel lora, Rng rng) {
      lora.adapters().forEach((path, adapter) -> {
        if (!(adapter instanceof LoRAXSLinear x)) {
          throw new IllegalArgumentException("lora init " + name + ": '" + path + "' is a " + adapter.getClass().getSimpleName()
              + ", the scheme needs LoRAXSLinear adapters (LoraModel.loraXs)");
        }
        double[][] w0 = Dense.of(x.base().weight().value(), "lora init " + name);
        LoraXsInits.Factors f = gradients == null
            ? LoraXsInits.loraXs(w0, x.rank(), Module.forkPath(rng, path))
            : sign ? LoraXsInits.loraSb(w0, layerData(name, gradients, path), lr, x.rank(), x.scale() * x.rank())
            : LoraXsInits.loraSbSignFree(w0, layerData(name, gradients, path), lr, x.rank(), x.scale() * x.rank());
        x.loraA().assign(Dense.tensor(f.a(), DType.F64));
        x.loraB().assign(Dense.tensor(f.b(), DType.F64));
        x.loraR().assign(Dense.tensor(f.r(), DType.F64));
      });
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static double[][] layerData(String scheme, Map<String, Tensor> data, String path) {
    if (data == null) {
      return null;
    }
    Tensor t = data.get(path);
    if (t == null) {
      throw new IllegalArgumentException("lora init " + scheme + ": no data for the adapted layer '" + path + "' (given: "
          + data.keySet() + ")");
    }
    return Dense.of(t, "lora init " + scheme + " data of '" + path + "'");
  }
}
