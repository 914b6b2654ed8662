package org.incipit.models.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.incipit.autograd.Tensors;
import org.incipit.init.S4DInit;
import org.incipit.nn.Parameter;
import org.incipit.nn.ssm.S4DKernel;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * The S4D sections of an {@code init_schemes} fixture file (see {@code shared/fixtures/README.md}),
 * for {@link InitSchemeCases} and {@code S4DFixtureTest}:
 * <ul>
 *   <li>{@code s4d_imag}: each {@code METHOD_imag} list (Lin, Inv, LegS) against
 *       {@link S4DInit.Imag#values}, as sorted lists (the order of modes is free), to 1e−12
 *       relative;</li>
 *   <li>{@code s4d_kernel}: the ZOH/bilinear kernel of {@link S4DKernel} in float64 with
 *       A = −½ + i·(the method's imaginary parts), B and C of the case, to 1e−10 absolute.</li>
 * </ul>
 * Each runner returns null when the case passes, else what differs.
 */
public final class S4DCases {
  public static final double IMAG_RTOL = 1e-12;
  public static final double KERNEL_ATOL = 1e-10;

  private S4DCases() {}

  /** Every {@code METHOD_imag} list of an {@code s4d_imag} case. */
  public static String imag(JsonObject kase) {
    int n = kase.get("N").getAsInt();
    for (String key : kase.keySet()) {
      if (key.endsWith("_imag")) {
        String diff = imag(key.substring(0, key.length() - "_imag".length()), n, doubles(kase.getAsJsonArray(key)));
        if (diff != null) {
          return diff;
        }
      }
    }
    return null;
  }

  /** One method's imaginary parts at state size N against {@code want}, as sorted lists. */
  public static String imag(String method, int n, double[] want) {
    S4DInit.Imag scheme = S4DInit.Imag.valueOf(method.toUpperCase(Locale.ROOT));
    double[] got = scheme.values(n);
    double[] w = want.clone();
    Arrays.sort(got);
    Arrays.sort(w);
    if (w.length != got.length) {
      return scheme + " N = " + n + ": " + got.length + " modes, want " + w.length;
    }
    for (int i = 0; i < w.length; i++) {
      if (!(Math.abs(w[i] - got[i]) <= IMAG_RTOL * Math.max(1, Math.abs(w[i])))) {
        return String.format(Locale.ROOT, "%s N = %d, sorted mode %d: %.17g, want %.17g", scheme, n, i, got[i], w[i]);
      }
    }
    return null;
  }

  /** An {@code s4d_kernel} case: K of length L with the case's Δ, B, C and method. */
  public static String kernel(JsonObject kase) {
    int n = kase.get("N").getAsInt();
    int length = kase.get("L").getAsInt();
    S4DInit.Imag scheme = S4DInit.Imag.valueOf(kase.get("method").getAsString().toUpperCase(Locale.ROOT));
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
      aReal[j] = Math.log(0.5);                            // Re A = −exp(A_real) = −½
    }
    p.get("log_dt").assign(Tensors.of(DType.F64, new double[] {Math.log(kase.get("dt").getAsDouble())}, 1));
    p.get("A_real").assign(Tensors.of(DType.F64, aReal, 1, modes));
    p.get("A_imag").assign(Tensors.of(DType.F64, scheme.values(n), 1, modes));
    p.get("B").assign(Tensors.of(DType.F64, bPairs, 1, modes, 2));
    p.get("C").assign(Tensors.of(DType.F64, cPairs, 1, modes, 2));
    double[] want = doubles(kase.getAsJsonArray("kernel"));
    double[] got = k.kernel(length).toDoubles();
    if (want.length != got.length) {
      return "kernel length " + got.length + ", want " + want.length;
    }
    for (int l = 0; l < want.length; l++) {
      if (!(Math.abs(want[l] - got[l]) <= KERNEL_ATOL)) {
        return String.format(Locale.ROOT, "K[%d] = %.17g, want %.17g (atol %.0e)", l, got[l], want[l], KERNEL_ATOL);
      }
    }
    return null;
  }

  private static double[] doubles(JsonArray a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).getAsDouble();
    }
    return v;
  }
}
