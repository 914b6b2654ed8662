package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.incipit.init.RandomPruning;
import org.incipit.models.parity.Fixtures;
import org.incipit.tensor.Shape;
import org.incipit.models.parity.ParityRunner;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * fixtures/init_schemes.json, {@code random_pruning_densities} (numpy, from the paper's solver):
 * every case's layer densities from {@link RandomPruning#densities} to 1e−12 relative. The same
 * cases run in {@code ./incipit parity ../shared/fixtures/init_schemes.json}.
 */
class RandomPruningFixtureTest {
  @TestFactory
  List<DynamicTest> everyRandomPruningCase() throws Exception {
    JsonObject root = Fixtures.read(SharedFixtures.require("init_schemes.json"));
    List<DynamicTest> tests = new ArrayList<>();
    if (root.has("random_pruning_densities")) {
      for (JsonElement e : root.getAsJsonArray("random_pruning_densities")) {
        JsonObject c = e.getAsJsonObject();
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
        String method = c.get("method").getAsString();
        tests.add(DynamicTest.dynamicTest(method + " D=" + density + " " + shapes, () -> {
          double[] got = RandomPruning.densities(shapes, density,
              RandomPruning.Method.valueOf(method.toUpperCase(Locale.ROOT)));
          JsonArray want = c.getAsJsonArray("layer_densities");
          assertEquals(want.size(), got.length, "number of layers");
          for (int l = 0; l < got.length; l++) {
            double w = want.get(l).getAsDouble();
            assertEquals(w, got[l], 1e-12 * Math.max(1, Math.abs(w)), "layer " + l + " " + shapes.get(l));
          }
        }));
      }
    }
    assertFalse(tests.isEmpty(), "init_schemes.json has no random_pruning_densities cases");
    return tests;
  }

  /** The parity command reaches the same cases (the file's kind is {@code init_scheme_values}). */
  @Test
  void parityRunsEveryRandomPruningCase() throws Exception {
    java.nio.file.Path file = SharedFixtures.require("init_schemes.json");
    int cases = Fixtures.read(file).getAsJsonArray("random_pruning_densities").size();
    List<ParityRunner.Result> results = ParityRunner.runAll(file, List.of()).stream()
        .filter(r -> r.name().startsWith("random_pruning_densities")).toList();
    assertEquals(cases, results.size(), "parity results for random_pruning_densities");
    results.forEach(r -> org.junit.jupiter.api.Assertions.assertTrue(r.passed(), r.toString()));
  }
}
