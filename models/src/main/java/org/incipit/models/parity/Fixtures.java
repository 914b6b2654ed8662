package org.incipit.models.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Shape;

/** Reading the fixture JSON format of {@code ../shared/fixtures/README.md}: tensors and tolerances. */
public final class Fixtures {
  private Fixtures() {}

  /** Parses a JSON file leniently (NaN and Infinity literals allowed, as Python writes them). */
  public static JsonObject read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonReader reader = new JsonReader(r);
      reader.setLenient(true);
      JsonElement e = JsonParser.parseReader(reader);
      if (!e.isJsonObject()) {
        throw new IOException(file + ": the top level is not a JSON object");
      }
      return e.getAsJsonObject();
    }
  }

  /** The shape in {@code t.shape}. */
  public static Shape shape(JsonObject t) {
    JsonArray a = t.getAsJsonArray("shape");
    int[] d = new int[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsInt();
    }
    return Shape.of(d);
  }

  /** The flat values in {@code t.data} (booleans as 0/1). */
  public static double[] data(JsonObject t) {
    JsonArray a = t.getAsJsonArray("data");
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      JsonElement e = a.get(i);
      if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
        d[i] = e.getAsBoolean() ? 1 : 0;
      } else {
        d[i] = e.getAsDouble();
      }
    }
    return d;
  }

  /** A tensor from a fixture tensor; {@code dtype} float32/float64/int64/int32/bool. */
  public static Tensor tensor(JsonObject t, Device device) {
    String dtype = t.has("dtype") ? t.get("dtype").getAsString() : "float32";
    Shape shape = shape(t);
    return switch (dtype) {
      case "float32" -> Tensors.of(DType.F32, data(t), shape, device);
      case "float64" -> Tensors.of(DType.F64, data(t), shape, device);
      case "int64" -> Tensors.of(DType.I64, data(t), shape, device);
      case "int32" -> Tensors.of(DType.I32, data(t), shape, device);
      case "bool" -> Tensors.of(DType.BOOL, data(t), shape, device);
      default -> throw new IllegalArgumentException("fixture tensor has unknown dtype '" + dtype + "'");
    };
  }

  /** Tolerance of a case: pass iff |got − want| ≤ atol + rtol·|want| elementwise. */
  public record Tolerance(double rtol, double atol) {
    public static Tolerance of(JsonObject c) {
      if (!c.has("tol")) {
        return new Tolerance(1e-4, 1e-5);
      }
      JsonObject t = c.getAsJsonObject("tol");
      return new Tolerance(t.has("rtol") ? t.get("rtol").getAsDouble() : 1e-4,
          t.has("atol") ? t.get("atol").getAsDouble() : 1e-5);
    }

    /**
     * {@code null} when {@code got} matches the fixture tensor {@code want} (shape and values; NaN
     * matches NaN, ±Inf match themselves), else a description of the first mismatch.
     */
    public String compare(String what, Tensor got, JsonObject want) {
      Shape ws = shape(want);
      if (!got.shape().equals(ws)) {
        return what + ": shape " + got.shape() + ", expected " + ws;
      }
      double[] g = got.toDoubles();
      double[] w = data(want);
      for (int i = 0; i < w.length; i++) {
        boolean same = Double.isNaN(w[i]) ? Double.isNaN(g[i])
            : Double.isInfinite(w[i]) ? g[i] == w[i]
            : Math.abs(g[i] - w[i]) <= atol + rtol * Math.abs(w[i]);
        if (!same) {
          return what + "[" + i + "]: got " + g[i] + ", expected " + w[i] + " (rtol " + rtol + ", atol " + atol + ")";
        }
      }
      return null;
    }
  }
}
