package org.incipit.tensor.cpu;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.incipit.tensor.ErrorFunction;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vectorised float32 kernels against double-precision references rounded to float. Tolerance:
 * 4 ulps of the result plus an absolute 2e-7 for the functions whose value crosses 0 inside
 * the domain (sin, cos, erf, tanh near 0 are still relative) — far inside the 1e-4 relative
 * tolerance of the PyTorch fixtures, and the level of float32 libm implementations.
 */
class VectorUnaryTest {
  @BeforeAll
  static void vectorPresent() {
    assumeTrue(VectorSupport.AVAILABLE, "skipped: jdk.incubator.vector is not in the boot layer");
  }

  private record Case(DoubleUnaryOperator reference, double lo, double hi, double abs) {}

  private static Map<String, Case> cases() {
    Map<String, Case> c = new LinkedHashMap<>();
    c.put("exp", new Case(Math::exp, -87, 88, 0));
    c.put("log", new Case(Math::log, 1e-30, 1e30, 0));
    c.put("sqrt", new Case(Math::sqrt, 0, 1e6, 0));
    c.put("tanh", new Case(Math::tanh, -20, 20, 1e-30));
    c.put("sigmoid", new Case(x -> 1 / (1 + Math.exp(-x)), -120, 120, 1e-30));
    c.put("softplus", new Case(x -> x > 20 ? x : Math.log1p(Math.exp(x)), -100, 100, 1e-30));
    c.put("sin", new Case(Math::sin, -50, 50, 2e-7));
    c.put("cos", new Case(Math::cos, -50, 50, 2e-7));
    c.put("relu", new Case(x -> x > 0 ? x : 0, -5, 5, 0));
    c.put("neg", new Case(x -> -x, -5, 5, 0));
    c.put("abs", new Case(Math::abs, -5, 5, 0));
    c.put("reciprocal", new Case(x -> 1 / x, 0.01, 100, 0));
    c.put("erf", new Case(ErrorFunction::reference, -6, 6, 2e-7));
    return c;
  }

  @Test
  void everyLoopMatchesItsReference() {
    for (var e : cases().entrySet()) {
      CpuElementwise.UnaryLoop loop = VectorUnary.loop(e.getKey());
      assertNotNull(loop, e.getKey());
      Case c = e.getValue();
      int n = 100_003; // not a multiple of the vector length: the masked tail runs too
      float[] a = new float[n];
      double[] u = Rng.seeded(1).fork(e.getKey()).uniform(n);
      boolean logScale = e.getKey().equals("log") || e.getKey().equals("sqrt");
      for (int i = 0; i < n; i++) {
        a[i] = (float) (logScale && c.lo() > 0 ? Math.exp(Math.log(c.lo()) + u[i] * (Math.log(c.hi()) - Math.log(c.lo())))
            : c.lo() + u[i] * (c.hi() - c.lo()));
      }
      float[] o = new float[n];
      loop.run(a, o, 0, n, 0f);
      for (int i = 0; i < n; i++) {
        float want = (float) c.reference().applyAsDouble(a[i]);
        double err = Math.abs(o[i] - want);
        assertTrue(err <= 4 * Math.ulp(want) + c.abs(), e.getKey() + "(" + a[i] + ") = " + o[i] + ", expected " + want);
      }
    }
  }

  @Test
  void specialValues() {
    float[] a = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f};
    float[] o = new float[a.length];
    VectorUnary.loop("erf").run(a, o, 0, a.length, 0f);
    assertTrue(Float.isNaN(o[0]));
    assertEquals(1f, o[1]);
    assertEquals(-1f, o[2]);
    assertEquals(0f, o[3]);
    VectorUnary.loop("relu").run(a, o, 0, a.length, 0f);
    assertEquals(0f, o[0], "relu(NaN) = 0, as the reference");
    VectorUnary.loop("sigmoid").run(new float[] {-120f, 120f}, o, 0, 2, 0f);
    assertEquals(0f, o[0]);
    assertEquals(1f, o[1]);
  }

  /** Each element is computed the same way however the range is cut (tails run under a mask). */
  @Test
  void resultsDoNotDependOnChunking() {
    int n = 1000;
    float[] a = new float[n];
    double[] u = Rng.seeded(2).normal(n);
    for (int i = 0; i < n; i++) {
      a[i] = (float) (3 * u[i]);
    }
    for (String name : cases().keySet()) {
      CpuElementwise.UnaryLoop loop = VectorUnary.loop(name);
      float[] whole = new float[n];
      loop.run(a, whole, 0, n, 0f);
      float[] pieces = new float[n];
      int[] cuts = {0, 3, 17, 100, 101, 555, 999, n};
      for (int i = 0; i + 1 < cuts.length; i++) {
        loop.run(a, pieces, cuts[i], cuts[i + 1], 0f);
      }
      assertArrayEquals(whole, pieces, name);
    }
  }
}
