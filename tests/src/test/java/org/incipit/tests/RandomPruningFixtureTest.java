package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.incipit.models.parity.Fixtures;
import org.incipit.models.parity.ParityRunner;
import org.incipit.models.parity.PruningCases;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * fixtures/init_schemes.json, {@code random_pruning_densities} (numpy, from the paper's solver):
 * every case's layer densities from {@link org.incipit.init.RandomPruning#densities} to 1e−12
 * relative, checked by the parity runner's own case code ({@link PruningCases}), which
 * {@code ./incipit parity ../shared/fixtures/init_schemes.json} runs too.
 */
class RandomPruningFixtureTest {
  @TestFactory
  List<DynamicTest> everyRandomPruningCase() throws Exception {
    JsonObject root = Fixtures.read(SharedFixtures.require("init_schemes.json"));
    List<DynamicTest> tests = new ArrayList<>();
    if (root.has("random_pruning_densities")) {
      for (JsonElement e : root.getAsJsonArray("random_pruning_densities")) {
        JsonObject c = e.getAsJsonObject();
        String name = c.get("method").getAsString() + " D=" + c.get("density").getAsDouble() + " " + c.get("shapes");
        tests.add(DynamicTest.dynamicTest(name, () -> assertNull(PruningCases.randomPruningDensities(c))));
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
