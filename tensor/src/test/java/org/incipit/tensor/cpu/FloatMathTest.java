package org.incipit.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.incipit.tensor.ErrorFunction;
import org.junit.jupiter.api.Test;

/**
 * The error bounds stated in {@link FloatMath}'s Javadoc, against StrictMath in double: on every
 * 16381st float bit pattern (262 k inputs of every sign and magnitude, NaN, ±∞ and subnormals
 * included) and on every 127th float of [0.25, 4) (264 k inputs, the range of most activations). The error is |f(x) − exact| in ulps of the correctly rounded float, so 0.5 is the
 * best possible.
 */
class FloatMathTest {
  private record Bound(DoubleUnaryOperator exact, double ulps, double absolute) {}

  private static Map<String, Bound> bounds() {
    Map<String, Bound> b = new LinkedHashMap<>();
    b.put("exp", new Bound(StrictMath::exp, 1, 0));
    b.put("log", new Bound(StrictMath::log, 1, 0));
    b.put("tanh", new Bound(StrictMath::tanh, 1.5, 0));
    b.put("sigmoid", new Bound(x -> x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x)), 2.5, 0));
    b.put("softplus", new Bound(x -> x > 20 ? x : StrictMath.log1p(StrictMath.exp(x)), 2, 0));
    b.put("sin", new Bound(StrictMath::sin, 2, 0));
    b.put("cos", new Bound(StrictMath::cos, 2, 0));
    b.put("erf", new Bound(ErrorFunction::reference, 0, 2e-7)); // absolute
    return b;
  }

  /** |got − want| in ulps of (float) want; 0 when both are the same NaN/∞/zero class. */
  static double ulpError(float got, double want) {
    float w = (float) want;
    if (Double.isNaN(want) || Float.isInfinite(w)) {
      return Float.compare(got, w) == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(got - want) / Math.ulp(w);
  }

  @Test
  void everyFunctionStaysWithinItsStatedBound() {
    for (var e : bounds().entrySet()) {
      CpuElementwise.UnaryLoop f = FloatMath.loop(e.getKey());
      Bound b = e.getValue();
      double worst = 0;
      float worstAt = 0;
      for (int pass = 0; pass < 2; pass++) {
        long from = pass == 0 ? 0 : Float.floatToRawIntBits(0.25f);
        long to = pass == 0 ? 1L << 32 : Float.floatToRawIntBits(4f);
        int step = pass == 0 ? 16381 : 127;
        float[] x = new float[(int) ((to - from + step - 1) / step)];
        for (int i = 0; i < x.length; i++) {
          x[i] = Float.intBitsToFloat((int) (from + (long) i * step));
        }
        float[] y = new float[x.length];
        f.run(x, y, 0, x.length, 0f);
        for (int i = 0; i < x.length; i++) {
          double want = b.exact().applyAsDouble(x[i]);
          double err = b.absolute() == 0 ? ulpError(y[i], want)
              : Double.isNaN(want) ? (Float.isNaN(y[i]) ? 0 : Double.POSITIVE_INFINITY) : Math.abs(y[i] - want);
          if (!(err <= worst)) {
            worst = err;
            worstAt = x[i];
          }
        }
      }
      String name = e.getKey();
      double bound = b.absolute() > 0 ? b.absolute() : b.ulps();
      assertTrue(worst <= bound, name + ": error " + worst + " at " + worstAt + " above the stated " + bound);
    }
  }

  @Test
  void specialValuesFollowStrictMath() {
    float nan = Float.NaN;
    float inf = Float.POSITIVE_INFINITY;
    assertEquals(inf, FloatMath.exp(inf));
    assertEquals(0f, FloatMath.exp(-inf));
    assertEquals(1f, FloatMath.exp(-0f));
    assertEquals(Float.MIN_VALUE, FloatMath.exp(-103.28f), "e^-103.28 is the smallest subnormal");
    assertEquals(inf, FloatMath.log(inf));
    assertEquals(-inf, FloatMath.log(0f));
    assertEquals(-inf, FloatMath.log(-0f));
    assertTrue(Float.isNaN(FloatMath.log(-1f)));
    assertEquals((float) StrictMath.log(Float.MIN_VALUE), FloatMath.log(Float.MIN_VALUE));
    assertEquals(-0f, FloatMath.tanh(-0f));
    assertEquals(-1f, FloatMath.tanh(-inf));
    assertEquals(-0f, FloatMath.sin(-0f));
    assertEquals(-0f, FloatMath.erf(-0f));
    assertEquals(1f, FloatMath.sigmoid(inf));
    assertEquals(0f, FloatMath.sigmoid(-inf));
    assertEquals(0f, FloatMath.softplus(-inf));
    assertEquals(inf, FloatMath.softplus(inf));
    assertTrue(Float.isNaN(FloatMath.sin(inf)) && Float.isNaN(FloatMath.cos(-inf)));
    assertEquals((float) StrictMath.sin(1e30f), FloatMath.sin(1e30f), "beyond TRIG_LIMIT: StrictMath");
    for (String f : bounds().keySet()) {
      float[] y = new float[1];
      FloatMath.loop(f).run(new float[] {nan}, y, 0, 1, 0f);
      assertTrue(Float.isNaN(y[0]), f + "(NaN)");
    }
  }

  /**
   * gelu and gelu′ against the double formulas (erf from {@link ErrorFunction#reference}) on every
   * 4099th float of [−16, 16] (every magnitude) and some far values: |error| ≤ 4e-7·max(1, |x|)
   * for gelu (erf's 2e-7 scaled by x/2, plus rounding) and ≤ 4e-7 for gelu′ (values in [−0.17, 1.13]).
   */
  @Test
  void geluAndItsDerivativeStayNearTheDoubleFormulas() {
    double worstY = 0;
    double worstD = 0;
    for (int bits = 0; bits >= 0; bits += 4099) {
      float x = Float.intBitsToFloat(bits);
      if (x > 16f) {
        break;
      }
      for (float v : new float[] {x, -x}) {
        double t = v / Math.sqrt(2);
        double cdf = 0.5 * (1 + ErrorFunction.reference(t));
        double pdf = StrictMath.exp(-0.5 * (double) v * v) / Math.sqrt(2 * Math.PI);
        worstY = Math.max(worstY, Math.abs(FloatMath.gelu(v) - v * cdf) / Math.max(1, Math.abs(v)));
        worstD = Math.max(worstD, Math.abs(FloatMath.geluGrad(v) - (cdf + v * pdf)));
      }
    }
    assertTrue(worstY <= 4e-7, "gelu: relative error " + worstY);
    assertTrue(worstD <= 4e-7, "gelu': error " + worstD);
    assertEquals(1e30f, FloatMath.gelu(1e30f));
    assertEquals(-0f, FloatMath.gelu(-1e30f));
    assertEquals(1f, FloatMath.geluGrad(1e30f));
    assertEquals(0f, FloatMath.geluGrad(-30f));
    assertTrue(Float.isNaN(FloatMath.gelu(Float.NaN)) && Float.isNaN(FloatMath.geluGrad(Float.NaN)));
  }
}
