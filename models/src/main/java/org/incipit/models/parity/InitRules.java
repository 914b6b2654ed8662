package org.incipit.models.parity;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.incipit.init.FanMode;
import org.incipit.init.Fans;
import org.incipit.init.Gains;
import org.incipit.init.Initializers;
import org.incipit.init.VarianceScaling;
import org.incipit.tensor.Shape;

/**
 * Runs an {@code init_rules} fixture file: {@code gains} (calculate_gain), {@code fans} (fan_in /
 * fan_out, or the expected error for shapes under 2-D) and {@code stds} (the exact std or bound
 * each classic initializer uses for a shape). Rule names are parsed, not listed:
 * {@code SCHEME[_fan_in|_fan_out][_NONLINEARITY]_(std|bound)} with SCHEME one of xavier_normal,
 * xavier_uniform, kaiming_normal, kaiming_uniform, lecun_normal, lecun_uniform,
 * torch_linear_default_weight, torch_linear_default_bias. These checks are exact (1e-12
 * relative): the rules are formulas, not samples.
 */
final class InitRules {
  private static final double RTOL = 1e-12;

  private InitRules() {}

  static List<ParityRunner.Result> run(String file, JsonObject root) {
    List<ParityRunner.Result> out = new ArrayList<>();
    for (JsonElement e : array(root, "gains")) {
      JsonObject g = e.getAsJsonObject();
      String nl = g.get("nonlinearity").getAsString();
      Double param = g.has("param") && !g.get("param").isJsonNull() ? g.get("param").getAsDouble() : null;
      String name = "gain(" + nl + (param == null ? "" : ", " + param) + ")";
      out.add(result(file, name, () -> compare(Gains.of(nl, param), g.get("gain").getAsDouble())));
    }
    for (JsonElement e : array(root, "fans")) {
      JsonObject f = e.getAsJsonObject();
      Shape shape = Fixtures.shape(f);
      out.add(result(file, "fans" + shape, () -> {
        if (f.has("error")) {
          try {
            Fans.of(shape);
            return "expected an error (" + f.get("error").getAsString() + ")";
          } catch (IllegalArgumentException ex) {
            return null;
          }
        }
        Fans fans = Fans.of(shape);
        String bad = compare(fans.in(), f.get("fan_in").getAsDouble());
        return bad != null ? "fan_in: " + bad : prefix("fan_out: ", compare(fans.out(), f.get("fan_out").getAsDouble()));
      }));
    }
    for (JsonElement e : array(root, "stds")) {
      JsonObject s = e.getAsJsonObject();
      Shape shape = Fixtures.shape(s);
      for (Map.Entry<String, JsonElement> rule : s.entrySet()) {
        if (rule.getKey().equals("shape")) {
          continue;
        }
        out.add(result(file, "stds" + shape + "." + rule.getKey(),
            () -> compare(rule(rule.getKey(), Fans.of(shape)), rule.getValue().getAsDouble())));
      }
    }
    return out;
  }

  /** The std or bound named by {@code key} for these fans. */
  static double rule(String key, Fans fans) {
    boolean bound = key.endsWith("_bound");
    if (!bound && !key.endsWith("_std")) {
      throw new IllegalArgumentException("unknown init rule '" + key + "' (expected a name ending in _std or _bound)");
    }
    String body = key.substring(0, key.lastIndexOf('_'));
    if (body.equals("torch_linear_default_bias")) {
      double b = Initializers.pytorchDefaultBias().bound(fans);
      return bound ? b : b / Math.sqrt(3);
    }
    VarianceScaling init;
    if (body.equals("torch_linear_default_weight")) {
      init = Initializers.pytorchDefaultWeight();
    } else {
      String[] scheme = {"xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform", "lecun_normal",
          "lecun_uniform"};
      String found = null;
      for (String sc : scheme) {
        if (body.startsWith(sc)) {
          found = sc;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("unknown init scheme in rule '" + key + "'");
      }
      String rest = body.substring(found.length()).replaceFirst("^_", "");
      FanMode mode = FanMode.IN;
      if (rest.startsWith("fan_in")) {
        rest = rest.substring(6).replaceFirst("^_", "");
      } else if (rest.startsWith("fan_out")) {
        mode = FanMode.OUT;
        rest = rest.substring(7).replaceFirst("^_", "");
      }
      String nl = rest.isEmpty() ? (found.startsWith("kaiming") ? "leaky_relu" : "linear") : rest;
      double gain = Gains.of(nl, nl.equals("leaky_relu") && rest.isEmpty() ? 0.0 : null);
      init = switch (found) {
        case "xavier_normal" -> Initializers.xavierNormal(gain);
        case "xavier_uniform" -> Initializers.xavierUniform(gain);
        case "kaiming_normal" -> Initializers.varianceScaling(gain * gain, mode,
            org.incipit.init.Distribution.NORMAL);
        case "kaiming_uniform" -> Initializers.varianceScaling(gain * gain, mode,
            org.incipit.init.Distribution.UNIFORM);
        case "lecun_normal" -> Initializers.lecunNormal();
        default -> Initializers.lecunUniform();
      };
    }
    boolean uniform = init.distribution() == org.incipit.init.Distribution.UNIFORM;
    if (bound && !uniform) {
      throw new IllegalArgumentException("rule '" + key + "' asks for the bound of a normal initializer");
    }
    return bound ? init.bound(fans) : init.std(fans);
  }

  private static Iterable<JsonElement> array(JsonObject root, String key) {
    return root.has(key) ? root.getAsJsonArray(key) : new com.google.gson.JsonArray();
  }

  private static String compare(double got, double want) {
    return Math.abs(got - want) <= RTOL * Math.abs(want) + 1e-15 ? null : "got " + got + ", expected " + want;
  }

  private static String prefix(String p, String message) {
    return message == null ? null : p + message;
  }

  private static ParityRunner.Result result(String file, String name, Supplier<String> check) {
    return ParityRunner.Result.of(file, name, "host", check);
  }
}
