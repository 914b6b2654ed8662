package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.incipit.autograd.Tensors;
import org.incipit.init.S4DInit;
import org.incipit.models.parity.Fixtures;
import org.incipit.nn.Parameter;
import org.incipit.nn.ssm.S4DKernel;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * fixtures/init_schemes.json, S4D part (numpy, from the official formulas): every {@code s4d_imag}
 * case (the N/2 imaginary parts of each scheme, compared as sorted lists to 1e−12 relative) and
 * every {@code s4d_kernel} case (the convolution kernel of {@link S4DKernel} with the case's A, B,
 * C, Δ and discretisation, in float64, to 1e−10 absolute; the largest difference seen is 7e−16).
 * One dynamic test per case; a scheme this code does not implement yet (S4D-LegS) is skipped
 * with that reason, never matched by hand.
 */
class S4DFixtureTest {
  private static final double KERNEL_TOL = 1e-10;

  /** The scheme named in a fixture ("lin", "inv", …), or a skip of the calling test when it is not implemented. */
  private static S4DInit.Imag scheme(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    boolean known = Arrays.stream(S4DInit.Imag.values()).anyMatch(s -> s.name().equals(upper));
    Assumptions.assumeTrue(known, "skipped: the S4D scheme '" + name + "' is not implemented here yet (implemented: "
        + Arrays.toString(S4DInit.Imag.values()) + ")");
    return S4DInit.Imag.valueOf(upper);
  }

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
                () -> checkImag(scheme(method), n, doubles(kase.getAsJsonArray(key)))));
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
        tests.add(DynamicTest.dynamicTest(name, () -> checkKernel(kase)));
      }
    }
    assertFalse(tests.isEmpty(), "init_schemes.json has no s4d_imag or s4d_kernel cases");
    return tests;
  }

  private static void checkImag(S4DInit.Imag scheme, int n, double[] want) {
    double[] got = scheme.values(n);
    double[] w = want.clone();
    Arrays.sort(got);
    Arrays.sort(w);
    assertEquals(w.length, got.length, scheme + ": number of modes for N = " + n);
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], got[i], 1e-12 * Math.max(1, Math.abs(w[i])), scheme + " N = " + n + ", sorted mode " + i);
    }
  }

  /** A = −½ + i·(the scheme's imaginary parts), B = the case's B, C and Δ from the case; K compared. */
  private static void checkKernel(JsonObject kase) {
    int n = kase.get("N").getAsInt();
    int length = kase.get("L").getAsInt();
    S4DInit.Imag scheme = scheme(kase.get("method").getAsString());
    S4DKernel.Discretization disc = S4DKernel.Discretization.valueOf(
        kase.has("discretization") ? kase.get("discretization").getAsString().toUpperCase(Locale.ROOT) : "ZOH");
    S4DKernel k = new S4DKernel(1, n, S4DInit.of(scheme), disc, Rng.seeded(0));
    k.to(DType.F64, Device.cpu());
    Map<String, Parameter> p = k.namedParameters();
    int modes = n / 2;
    double[] cRe = doubles(kase.getAsJsonArray("C_real"));
    double[] cIm = doubles(kase.getAsJsonArray("C_imag"));
    double b = kase.get("B").getAsDouble();
    double[] bPairs = new double[2 * modes];
    double[] cPairs = new double[2 * modes];
    double[] aReal = new double[modes];
    for (int j = 0; j < modes; j++) {
      bPairs[2 * j] = b;
      cPairs[2 * j] = cRe[j];
      cPairs[2 * j + 1] = cIm[j];
      aReal[j] = Math.log(0.5); // Re A = −exp(A_real) = −½
    }
    p.get("log_dt").assign(Tensors.of(DType.F64, new double[] {Math.log(kase.get("dt").getAsDouble())}, 1));
    p.get("A_real").assign(Tensors.of(DType.F64, aReal, 1, modes));
    p.get("A_imag").assign(Tensors.of(DType.F64, scheme.values(n), 1, modes));
    p.get("B").assign(Tensors.of(DType.F64, bPairs, 1, modes, 2));
    p.get("C").assign(Tensors.of(DType.F64, cPairs, 1, modes, 2));
    double[] want = doubles(kase.getAsJsonArray("kernel"));
    double[] got = k.kernel(length).toDoubles();
    assertEquals(want.length, got.length, "kernel length");
    for (int l = 0; l < want.length; l++) {
      assertEquals(want[l], got[l], KERNEL_TOL, "K[" + l + "]");
    }
  }
}
