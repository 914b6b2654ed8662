package org.incipit.models.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.incipit.init.linalg.Dense;
import org.incipit.init.lora.Eva;
import org.incipit.init.lora.IncrementalPca;
import org.incipit.init.lora.LoraXsInits;
import org.incipit.init.lora.LowRankFactors;
import org.incipit.init.lora.PeftInits;
import org.incipit.models.parity.ParityRunner.Result;

/**
 * Runs a {@code lora_inits} fixture file ({@code shared/fixtures/README.md}): each case names a
 * scheme, gives its inputs (any shapes, any r) and the sign-free quantities it must produce, which
 * are compared with |got − want| ≤ tol·(1 + |want|) elementwise ({@code tol} from the case, else
 * the file, else 1e−6). An unknown scheme or expected key fails by name. Everything runs once on
 * the host, in double precision.
 */
public final class LoraInitCases {
  private static final Map<String, Function<JsonObject, Map<String, Object>>> SCHEMES = Map.of(
      "pissa", LoraInitCases::pissa,
      "olora", LoraInitCases::olora,
      "mica", LoraInitCases::mica,
      "lora_xs", LoraInitCases::loraXs,
      "lora_sb", LoraInitCases::loraSb,
      "eva_pca", LoraInitCases::evaPca,
      "eva_ranks", LoraInitCases::evaRanks);

  private LoraInitCases() {}

  public static List<Result> run(String file, JsonObject root) {
    double fileTol = root.has("tol") ? root.get("tol").getAsDouble() : 1e-6;
    List<Result> out = new ArrayList<>();
    for (JsonElement e : root.getAsJsonArray("cases")) {
      JsonObject c = e.getAsJsonObject();
      String scheme = c.has("scheme") ? c.get("scheme").getAsString() : "(no scheme)";
      double tol = c.has("tol") ? c.get("tol").getAsDouble() : fileTol;
      out.add(Result.of(file, scheme + " " + ParityRunner.caseName(c), "host", () -> check(scheme, c, tol)));
    }
    return out;
  }

  private static String check(String scheme, JsonObject c, double tol) {
    Function<JsonObject, Map<String, Object>> fn = SCHEMES.get(scheme);
    if (fn == null) {
      return "unknown lora_inits scheme '" + scheme + "' (known: " + SCHEMES.keySet() + ")";
    }
    Map<String, Object> got = fn.apply(c);
    for (Map.Entry<String, JsonElement> want : c.getAsJsonObject("expected").entrySet()) {
      Object g = got.get(want.getKey());
      if (g == null) {
        return "expected key '" + want.getKey() + "' is not computed for " + scheme + " (computed: " + got.keySet() + ")";
      }
      String bad = compare(want.getKey(), flatten(g), flatten(want.getValue()), tol);
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  private static Map<String, Object> pissa(JsonObject c) {
    double[][] w = matrix(c, "weight");
    int r = c.get("r").getAsInt();
    double alpha = c.get("alpha").getAsDouble();
    LowRankFactors f = PeftInits.pissa(w, r, alpha);
    return Map.of("delta", f.delta(alpha / r), "residual", f.base(),
        "b_gram_diag", diag(Dense.mul(Dense.transpose(f.b()), f.b())),
        "a_gram_diag", diag(Dense.mul(f.a(), Dense.transpose(f.a()))));
  }

  private static Map<String, Object> olora(JsonObject c) {
    int r = c.get("r").getAsInt();
    double alpha = c.get("alpha").getAsDouble();
    LowRankFactors f = PeftInits.olora(matrix(c, "weight"), r, alpha);
    return Map.of("delta", f.delta(alpha / r), "residual", f.base());
  }

  private static Map<String, Object> mica(JsonObject c) {
    LowRankFactors f = PeftInits.mica(matrix(c, "weight"), c.get("r").getAsInt());
    return Map.of("b_projection", Dense.mul(f.b(), Dense.transpose(f.b())));
  }

  private static Map<String, Object> loraXs(JsonObject c) {
    LoraXsInits.Factors f = LoraXsInits.loraXs(matrix(c, "weight"), c.get("r").getAsInt(), null);
    return Map.of("ba", Dense.mul(f.b(), f.a()));
  }

  private static Map<String, Object> loraSb(JsonObject c) {
    int r = c.get("r").getAsInt();
    double alpha = c.has("alpha") ? c.get("alpha").getAsDouble() : r;
    double[][] w = matrix(c, "weight");
    LoraXsInits.Factors f = LoraXsInits.loraSb(w, matrix(c, "gradient"), c.get("lr").getAsDouble(), r, alpha);
    double[][] delta = f.delta(alpha / r);
    double[] rDiag = diag(f.r());
    for (int i = 0; i < rDiag.length; i++) {
      rDiag[i] *= alpha / r; // R = diag(S_r)/s, so s·R holds the singular values
    }
    return Map.of("delta", delta, "merged", Dense.combine(1, w, 1, delta), "r_diag", rDiag);
  }

  private static Map<String, Object> evaPca(JsonObject c) {
    double[][] x = matrix(c, "inputs");
    int k = c.get("k").getAsInt();
    IncrementalPca pca = new IncrementalPca(x[0].length, k);
    pca.update(x);
    double[][] a = pca.components();
    return Map.of("projection", Dense.mul(Dense.transpose(a), a), "explained_variance_ratio", pca.explainedVarianceRatio());
  }

  private static Map<String, Object> evaRanks(JsonObject c) {
    JsonArray layers = c.getAsJsonArray("explained_variance_ratios");
    double[][] evr = new double[layers.size()][];
    for (int l = 0; l < evr.length; l++) {
      evr[l] = flatten(layers.get(l));
    }
    double[] rk = flatten(c.get("ranks"));
    int[] ranks = new int[rk.length];
    for (int i = 0; i < rk.length; i++) {
      ranks[i] = (int) rk[i];
    }
    int[] got = Eva.allocate(evr, ranks, c.get("rho").getAsDouble());
    return Map.of("ranks", java.util.Arrays.stream(got).asDoubleStream().toArray());
  }

  private static double[] diag(double[][] m) {
    double[] d = new double[Math.min(m.length, m[0].length)];
    for (int i = 0; i < d.length; i++) {
      d[i] = m[i][i];
    }
    return d;
  }

  /** A case's nested-list matrix. */
  static double[][] matrix(JsonObject c, String key) {
    if (!c.has(key)) {
      throw new IllegalArgumentException("lora_inits case has no '" + key + "'");
    }
    JsonArray rows = c.getAsJsonArray(key);
    double[][] m = new double[rows.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = flatten(rows.get(i));
    }
    return m;
  }

  /** The values of a number, a (nested) JSON list, a double[] or a double[][], row-major. */
  static double[] flatten(Object o) {
    if (o instanceof double[] d) {
      return d;
    }
    if (o instanceof double[][] m) {
      return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }
    JsonElement e = (JsonElement) o;
    if (e.isJsonPrimitive()) {
      return new double[] {e.getAsDouble()};
    }
    List<Double> out = new ArrayList<>();
    for (JsonElement x : e.getAsJsonArray()) {
      for (double v : flatten(x)) {
        out.add(v);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String compare(String what, double[] got, double[] want, double tol) {
    if (got.length != want.length) {
      return what + ": " + got.length + " values, expected " + want.length;
    }
    for (int i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) {
        return what + "[" + i + "]: got " + got[i] + ", expected " + want[i] + " (tol " + tol + " relative to 1 + |want|)";
      }
    }
    return null;
  }
}
