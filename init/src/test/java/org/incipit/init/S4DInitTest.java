package org.incipit.init;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * S4D's initial values (Gu et al. 2022): the Lin and Inv frequencies by formula, the constants,
 * and seeded moment bands for the random parts (5 standard errors: √(2/n) relative for a normal
 * variance, σ/√n for a mean; the fixtures in {@code S4DFixtureTest} check the frequencies against
 * numpy).
 */
class S4DInitTest {
  private static final Fans UNUSED = new Fans(1, 1);

  @Test
  void linAndInvFrequenciesFollowTheirFormulas() {
    assertArrayEquals(new double[] {0, Math.PI, 2 * Math.PI, 3 * Math.PI}, S4DInit.Imag.LIN.values(8), 0.0);
    // Inv, N = 8: (8/π)(8/(2n+1) − 1) = (8/π)·7, (8/π)(5/3), (8/π)(3/5), (8/π)(1/7)
    double s = 8 / Math.PI;
    assertArrayEquals(new double[] {s * 7, s * 5 / 3, s * 3 / 5, s / 7}, S4DInit.Imag.INV.values(8), 1e-13);
    Tensor t = S4DInit.Imag.INV.create(Shape.of(3, 4), UNUSED, Rng.seeded(1));
    assertEquals(DType.F32, t.dtype());
    double[] v = t.toDoubles();
    for (int i = 0; i < v.length; i++) {
      assertEquals((float) S4DInit.Imag.INV.values(8)[i % 4], v[i], 0.0, "every channel gets the same modes");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S4DInit.Imag.LIN.values(7));
    assertTrue(e.getMessage().contains("even"), e.getMessage());
  }

  @Test
  void constantsAndShapesAreChecked() {
    double[] b = new S4DInit.ComplexConstant(1, 0).create(Shape.of(2, 3, 2), UNUSED, Rng.seeded(1)).toDoubles();
    for (int i = 0; i < b.length; i++) {
      assertEquals(i % 2 == 0 ? 1.0 : 0.0, b[i], 0.0, "B = 1 + 0i");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new S4DInit.ComplexConstant(1, 0).create(Shape.of(2, 3), UNUSED, Rng.seeded(1)));
    assertTrue(e.getMessage().contains("(…, 2)"), e.getMessage());
    S4DInit lin = S4DInit.lin();
    double aReal = lin.aReal().create(Shape.of(1), UNUSED, Rng.seeded(1)).item();
    assertEquals(-0.5, -Math.exp(aReal), 1e-7, "Re A = −exp(A_real) = −½ (F32)");
    assertThrows(IllegalArgumentException.class, () -> S4DInit.logDtUniform(0, 1));
    assertEquals(S4DInit.logDtUniform(1e-4, 1e-2), lin.withLogDt(S4DInit.logDtUniform(1e-4, 1e-2)).logDt());
    assertEquals(S4DInit.Imag.INV, S4DInit.inv().aImag());
  }

  @Test
  void randomPartsHaveTheirDistributions() {
    S4DInit init = S4DInit.lin();
    int h = 4000;
    // log Δ uniform on [log 1e−3, log 1e−1]: every Δ inside, mean of log Δ at the midpoint
    double[] logDt = init.logDt().create(Shape.of(h), UNUSED, Rng.seeded(2)).toDoubles();
    double lo = Math.log(S4DInit.DT_MIN);
    double hi = Math.log(S4DInit.DT_MAX);
    double mean = 0;
    for (double x : logDt) {
      assertTrue(x >= lo - 1e-6 && x <= hi + 1e-6, "log dt " + x + " outside [" + lo + ", " + hi + "]");
      mean += x / h;
    }
    assertEquals((lo + hi) / 2, mean, 5 * (hi - lo) / Math.sqrt(12.0 * h), "mean of log dt");
    // C: real and imaginary parts each N(0, ½)
    double[] c = init.c().create(Shape.of(h / 8, 8, 2), UNUSED, Rng.seeded(3)).toDoubles();
    for (int part = 0; part < 2; part++) {
      double m = 0;
      double v = 0;
      int n = c.length / 2;
      for (int i = part; i < c.length; i += 2) {
        m += c[i] / n;
        v += c[i] * c[i] / n;
      }
      assertEquals(0, m, 5 * Math.sqrt(0.5 / n), "mean of C's part " + part);
      assertEquals(0.5, v, 5 * Math.sqrt(2.0 / n) * 0.5, "variance of C's part " + part);
    }
    double[] d = init.d().create(Shape.of(h), UNUSED, Rng.seeded(4)).toDoubles();
    double v = 0;
    for (double x : d) {
      v += x * x / h;
    }
    assertEquals(1.0, v, 5 * Math.sqrt(2.0 / h), "variance of D");
  }

  @Test
  void legsRealAndRandFollowTheirDefinitions() {
    // LegS: the HiPPO spectrum on every channel, Re A = −½, B = B̃ of HippoLegS
    S4DInit legs = S4DInit.legs();
    assertEquals(S4DInit.Imag.LEGS, legs.aImag());
    double[] w = HippoLegS.spectrum(8).imag();
    assertArrayEquals(w, S4DInit.Imag.LEGS.values(8), 0.0);
    double[] im = legs.aImag().create(Shape.of(2, 4), UNUSED, Rng.seeded(1)).toDoubles();
    double[] b = legs.b().create(Shape.of(2, 4, 2), UNUSED, Rng.seeded(1)).toDoubles();
    double[] bt = HippoLegS.spectrum(8).b();
    for (int i = 0; i < 8; i++) {
      assertEquals((float) w[i % 4], im[i], 0.0, "LegS Im A, channel " + i / 4);
      assertEquals((float) bt[i % 4], b[2 * i], 0.0, "LegS Re B");
      assertEquals(0.0, b[2 * i + 1], 0.0, "LegS Im B");
    }
    assertEquals(-0.5, -Math.exp(legs.aReal().create(Shape.of(1), UNUSED, Rng.seeded(1)).item()), 1e-7);
    // Real: A_n = −(n+1), Im A = 0
    S4DInit real = S4DInit.real();
    double[] ar = real.aReal().create(Shape.of(3, 4), UNUSED, Rng.seeded(1)).toDoubles();
    for (int i = 0; i < ar.length; i++) {
      assertEquals(-(i % 4 + 1.0), -Math.exp(ar[i]), 1e-6, "Real: Re A_n = −(n+1)");
    }
    assertArrayEquals(new double[12], real.aImag().create(Shape.of(3, 4), UNUSED, Rng.seeded(1)).toDoubles(), 0.0);
    // Rand: Im A = e^z, z ~ N(0,1): log Im A has mean 0 (5σ/√n) and variance 1 (5·√(2/n)); seeded
    int n = 8000;
    double[] r = S4DInit.rand().aImag().create(Shape.of(n / 4, 4), UNUSED, Rng.seeded(5)).toDoubles();
    double m = 0;
    double v = 0;
    for (double x : r) {
      assertTrue(x > 0, "Rand: Im A > 0");
      m += Math.log(x) / n;
      v += Math.log(x) * Math.log(x) / n;
    }
    assertEquals(0, m, 5 / Math.sqrt(n), "mean of log Im A (Rand)");
    assertEquals(1, v - m * m, 5 * Math.sqrt(2.0 / n), "variance of log Im A (Rand)");
    assertThrows(IllegalArgumentException.class, () -> legs.b().create(Shape.of(2, 4), UNUSED, Rng.seeded(1)));
  }
}
