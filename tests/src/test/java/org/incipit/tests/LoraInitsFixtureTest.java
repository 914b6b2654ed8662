package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import org.incipit.models.parity.Fixtures;
import org.incipit.models.parity.LoraInitCases;
import org.incipit.models.parity.ParityRunner;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * fixtures/lora_inits.json (numpy float64, exact SVD/QR): every case — PiSSA, OLoRA, MiCA, LoRA-XS,
 * LoRA-SB, EVA's PCA and rank allocation, stored as sign-free products — through the same runner
 * as {@code incipit parity}, one dynamic test per case, at the file's tolerance.
 */
class LoraInitsFixtureTest {
  @TestFactory
  List<DynamicTest> everyCaseOfTheLoraInitFixtures() throws Exception {
    JsonObject root = Fixtures.read(SharedFixtures.require("lora_inits.json"));
    List<ParityRunner.Result> results = LoraInitCases.run("lora_inits.json", root);
    assertFalse(results.isEmpty(), "lora_inits.json has no cases");
    return results.stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> assertTrue(r.passed(), r.toString()))).toList();
  }
}
