package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.incipit.models.parity.OptimTrajectories;
import org.incipit.models.parity.ParityRunner;
import org.incipit.tensor.Device;
import org.junit.jupiter.api.Test;

/** fixtures/optim.json: AdamW and SGD trajectories (6 steps each) against PyTorch, on every device. */
class OptimTrajectoriesFixtureTest {
  @Test
  void everyTrajectoryMatchesPyTorch() throws Exception {
    Path file = SharedFixtures.require("optim.json");
    List<ParityRunner.Result> results = ParityRunner.runAll(file, Device.available());
    assertFalse(results.isEmpty(), "optim.json has cases");
    for (ParityRunner.Result r : results) {
      assertTrue(r.passed(), r.toString());
    }
  }

  @Test
  void unknownHyperparametersAndOptimizersFailClearly() {
    String base = "{\"kind\": \"optimizer_trajectory\", \"cases\": [{\"name\": \"x\", \"optimizer\": \"%s\", \"hyper\": %s,"
        + " \"param\": {\"shape\": [1], \"data\": [1.0]}, \"grads\": [{\"shape\": [1], \"data\": [1.0]}],"
        + " \"expected\": [{\"shape\": [1], \"data\": [0.9]}], \"tol\": {\"rtol\": 1e-5, \"atol\": 1e-6}}]}";
    assertTrue(run(String.format(base, "sgd", "{\"lr\": 0.1}")).passed());
    assertTrue(run(String.format(base, "sgd", "{\"lr\": 0.1, \"foreach\": null}")).passed());
    // maximize: a step along +g
    assertFalse(run(String.format(base, "sgd", "{\"lr\": 0.1, \"maximize\": true}")).passed());
    ParityRunner.Result r = run(String.format(base, "sgd", "{\"lr\": 0.1, \"lars\": 1}"));
    assertTrue(!r.passed() && r.message().contains("'lars'"), r.toString());
    r = run(String.format(base, "lamb", "{}"));
    assertTrue(!r.passed() && r.message().contains("unknown optimizer 'lamb'"), r.toString());
  }

  private static ParityRunner.Result run(String json) {
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    return OptimTrajectories.run("inline", root, Device.cpu()).get(0);
  }
}
