package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.incipit.models.parity.ParityRunner;
import org.incipit.tensor.Device;
import org.junit.jupiter.api.Test;

/** fixtures/init.json: gains, fans (and the error below 2-D) and the exact std/bound of each classic rule. */
class InitRulesFixtureTest {
  @Test
  void everyInitRuleMatchesPyTorch() throws Exception {
    Path file = SharedFixtures.require("init.json");
    List<ParityRunner.Result> results = ParityRunner.runAll(file, List.of(Device.cpu()));
    assertFalse(results.isEmpty(), "init.json has cases");
    for (ParityRunner.Result r : results) {
      assertTrue(r.passed(), r.toString());
    }
  }
}
