package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.incipit.models.parity.Fixtures;
import org.incipit.models.parity.ParityRunner;
import org.incipit.tensor.Device;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every case of every file in ../shared/fixtures/ops, on every available device: one test each. */
class ParityFixturesTest {
  @TestFactory
  List<DynamicTest> everyOpFixtureCaseOnEveryDevice() throws Exception {
    Path dir = SharedFixtures.require("ops");
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : ParityRunner.files(dir)) {
      JsonObject root = Fixtures.read(file); // once, for every device
      String op = root.get("op").getAsString();
      for (Device device : Device.available()) {
        for (JsonElement c : root.getAsJsonArray("cases")) {
          JsonObject kase = c.getAsJsonObject();
          String name = "[" + device + "] " + kase.get("name").getAsString();
          tests.add(DynamicTest.dynamicTest(name, () -> {
            ParityRunner.Result r = ParityRunner.runCase(file.getFileName().toString(), op, kase, device);
            assertTrue(r.passed(), r.toString());
          }));
        }
      }
    }
    assertTrue(!tests.isEmpty(), "no fixture cases found in " + dir);
    return tests;
  }
}
