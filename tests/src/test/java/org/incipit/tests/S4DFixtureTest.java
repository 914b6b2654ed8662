package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.incipit.models.parity.Fixtures;
import org.incipit.models.parity.S4DCases;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * fixtures/init_schemes.json, S4D part (numpy, from the official formulas), through the same
 * runners {@code incipit parity} uses ({@link S4DCases}): every {@code s4d_imag} case (the N/2
 * imaginary parts of Lin, Inv and LegS, compared as sorted lists to 1e−12 relative) and every
 * {@code s4d_kernel} case (the convolution kernel in float64 to 1e−10 absolute; the largest
 * difference seen is 7e−16). One dynamic test per case and method.
 */
class S4DFixtureTest {
  private static double[] doubles(JsonArray a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).getAsDouble();
    }
    return v;
  }

  @TestFactory
  List<DynamicTest> everyS4DCaseOfTheInitSchemeFixtures() throws Exception {
    JsonObject root = Fixtures.read(SharedFixtures.require("init_schemes.json"));
    List<DynamicTest> tests = new ArrayList<>();
    if (root.has("s4d_imag")) {
      for (JsonElement e : root.getAsJsonArray("s4d_imag")) {
        JsonObject kase = e.getAsJsonObject();
        int n = kase.get("N").getAsInt();
        for (String key : kase.keySet()) {
          if (key.endsWith("_imag")) {
            String method = key.substring(0, key.length() - "_imag".length());
            tests.add(DynamicTest.dynamicTest("s4d_imag N=" + n + " " + method,
                () -> assertNull(S4DCases.imag(method, n, doubles(kase.getAsJsonArray(key))))));
          }
        }
      }
    }
    if (root.has("s4d_kernel")) {
      int i = 0;
      for (JsonElement e : root.getAsJsonArray("s4d_kernel")) {
        JsonObject kase = e.getAsJsonObject();
        String name = "s4d_kernel " + i++ + ": N=" + kase.get("N").getAsInt() + " " + kase.get("method").getAsString()
            + " dt=" + kase.get("dt").getAsDouble() + " L=" + kase.get("L").getAsInt();
        tests.add(DynamicTest.dynamicTest(name, () -> assertNull(S4DCases.kernel(kase))));
      }
    }
    assertFalse(tests.isEmpty(), "init_schemes.json has no s4d_imag or s4d_kernel cases");
    return tests;
  }
}
