package org.incipit.models.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.optim.AdamW;
import org.incipit.optim.Optimizer;
import org.incipit.optim.Sgd;
import org.incipit.optim.SgdSai;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * Runs an {@code optimizer_trajectory} fixture file: for each case, a parameter starts at
 * {@code param}; at step i its gradient is set to {@code grads[i]} (through
 * {@link Gradients#from}, no backward pass), the optimizer steps, and the parameter must match
 * {@code expected[i]} within the case's tolerance. Cases run on each device.
 *
 * <p>Optimizers: {@code adamw}, {@code sgd}, {@code sgd_sai}. Hyperparameters use PyTorch's names
 * (lr, betas, eps, weight_decay, amsgrad; lr, momentum, dampening, weight_decay, nesterov; for
 * sgd_sai lr, momentum, eps, weight_decay); absent ones take PyTorch's (or the reference code's)
 * defaults. {@code maximize: true} is run as a step with −g, which is how PyTorch defines it for
 * SGD and AdamW. The execution switches {@code foreach}, {@code capturable},
 * {@code differentiable} and {@code fused} do not change the math and are accepted when false or
 * null; any other name fails the case, naming it.
 */
public final class OptimTrajectories {
  private static final Set<String> IGNORED = Set.of("foreach", "capturable", "differentiable", "fused");

  private OptimTrajectories() {}

  /** Every case of one trajectory file on one device. */
  public static List<ParityRunner.Result> run(String file, JsonObject root, Device device) {
    List<ParityRunner.Result> out = new ArrayList<>();
    for (JsonElement e : root.getAsJsonArray("cases")) {
      JsonObject c = e.getAsJsonObject();
      out.add(ParityRunner.Result.of(file, ParityRunner.caseName(c), device.toString(), () -> runCase(c, device)));
    }
    return out;
  }

  /** Null when the whole trajectory matches, else the first mismatch. */
  static String runCase(JsonObject c, Device device) {
    String kind = c.get("optimizer").getAsString();
    JsonObject hyper = c.has("hyper") ? c.getAsJsonObject("hyper") : new JsonObject();
    Tensor start = Fixtures.tensor(c.getAsJsonObject("param"), device);
    Module holder = new Module() {
      {
        param("param", start.shape(), (s, f, r) -> start, Rng.seeded(0));
      }
    };
    Parameter p = holder.namedParameters().get("param");
    Optimizer opt = switch (kind) {
      case "adamw" -> AdamW.of(holder, adamw(hyper));
      case "sgd" -> Sgd.of(holder, sgd(hyper));
      case "sgd_sai" -> SgdSai.of(holder, sgdSai(hyper));
      default -> throw new IllegalArgumentException("unknown optimizer '" + kind + "' (known: adamw, sgd, sgd_sai)");
    };
    boolean maximize = flag(hyper, "maximize");
    JsonArray grads = c.getAsJsonArray("grads");
    JsonArray expected = c.getAsJsonArray("expected");
    if (grads.size() != expected.size()) {
      return grads.size() + " gradients but " + expected.size() + " expected values";
    }
    Fixtures.Tolerance tol = Fixtures.Tolerance.of(c);
    for (int i = 0; i < grads.size(); i++) {
      Tensor v = p.value();
      Tensor g = Fixtures.tensor(grads.get(i).getAsJsonObject(), device).cast(v.dtype());
      opt.step(Gradients.from(Map.of(v, maximize ? g.neg() : g)));
      String bad = tol.compare("param after step " + (i + 1), p.value(), expected.get(i).getAsJsonObject());
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  private static AdamW.Hyper adamw(JsonObject h) {
    check(h, "adamw", Set.of("lr", "betas", "eps", "weight_decay", "amsgrad"));
    AdamW.Hyper d = AdamW.Hyper.defaults();
    JsonArray betas = h.has("betas") ? h.getAsJsonArray("betas") : null;
    return new AdamW.Hyper(num(h, "lr", d.lr()), betas == null ? d.beta1() : betas.get(0).getAsDouble(),
        betas == null ? d.beta2() : betas.get(1).getAsDouble(), num(h, "eps", d.eps()),
        num(h, "weight_decay", d.weightDecay()), flag(h, "amsgrad"));
  }

  private static Sgd.Hyper sgd(JsonObject h) {
    check(h, "sgd", Set.of("lr", "momentum", "dampening", "weight_decay", "nesterov"));
    Sgd.Hyper d = Sgd.Hyper.defaults();
    return new Sgd.Hyper(num(h, "lr", d.lr()), num(h, "momentum", d.momentum()), num(h, "dampening", d.dampening()),
        num(h, "weight_decay", d.weightDecay()), flag(h, "nesterov"));
  }

  private static SgdSai.Hyper sgdSai(JsonObject h) {
    check(h, "sgd_sai", Set.of("lr", "momentum", "eps", "weight_decay"));
    SgdSai.Hyper d = SgdSai.Hyper.defaults();
    return new SgdSai.Hyper(num(h, "lr", d.lr()), num(h, "momentum", d.momentum()), num(h, "eps", d.eps()),
        num(h, "weight_decay", d.weightDecay()));
  }

  private static void check(JsonObject h, String optimizer, Set<String> known) {
    for (Map.Entry<String, JsonElement> e : h.entrySet()) {
      String k = e.getKey();
      if (known.contains(k) || k.equals("maximize")) {
        continue;
      }
      if (IGNORED.contains(k) && (e.getValue().isJsonNull() || !e.getValue().getAsBoolean())) {
        continue;
      }
      throw new IllegalArgumentException("unsupported hyperparameter '" + k + "' = " + e.getValue() + " for "
          + optimizer + " (supported: " + known + ", maximize)");
    }
  }

  private static double num(JsonObject h, String key, double fallback) {
    return h.has(key) && !h.get(key).isJsonNull() ? h.get(key).getAsDouble() : fallback;
  }

  private static boolean flag(JsonObject h, String key) {
    return h.has(key) && !h.get(key).isJsonNull() && h.get(key).getAsBoolean();
  }
}
