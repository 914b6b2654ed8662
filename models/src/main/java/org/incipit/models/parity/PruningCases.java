package org.incipit.models.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.incipit.init.RandomPruning;
import org.incipit.tensor.Shape;

/**
 * The {@code random_pruning_densities} section of an {@code init_schemes} fixture: for the case's
 * weight shapes, overall density and method ({@code uniform}, {@code er}, {@code erk}), the layer
 * densities of {@link RandomPruning#densities} must equal {@code layer_densities} to 1e−12
 * relative (the solver is closed-form, so only rounding differs).
 */
public final class PruningCases {
  public static final double TOL = 1e-12;

  private PruningCases() {}

  /** Null when the case passes, else the first layer that differs. */
  public static String randomPruningDensities(JsonObject c) {
    List<Shape> shapes = new ArrayList<>();
    for (JsonElement s : c.getAsJsonArray("shapes")) {
      JsonArray a = s.getAsJsonArray();
      int[] dims = new int[a.size()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = a.get(i).getAsInt();
      }
      shapes.add(Shape.of(dims));
    }
    double density = c.get("density").getAsDouble();
    RandomPruning.Method method = RandomPruning.Method.valueOf(c.get("method").getAsString().toUpperCase(Locale.ROOT));
    double[] got = RandomPruning.densities(shapes, density, method);
    JsonArray want = c.getAsJsonArray("layer_densities");
    if (want.size() != got.length) {
      return "expected " + want.size() + " layer densities, got " + got.length;
    }
    for (int l = 0; l < got.length; l++) {
      double w = want.get(l).getAsDouble();
      if (Math.abs(got[l] - w) > TOL * Math.max(1, Math.abs(w))) {
        return String.format(Locale.ROOT, "%s D=%s layer %d %s: density %.17g, expected %.17g", method, density, l,
            shapes.get(l), got[l], w);
      }
    }
    return null;
  }
}
