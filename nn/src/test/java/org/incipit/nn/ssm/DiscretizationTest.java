package org.incipit.nn.ssm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.incipit.autograd.Tensors;
import org.incipit.init.S4DInit;
import org.incipit.nn.Parameter;
import org.incipit.nn.ssm.S4DKernel.Discretization;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The complex arithmetic and the two discretisations against scalar complex arithmetic written
 * out by hand, the powers by doubling against repeated products, and ZOH against bilinear as
 * Δ → 0 (both approach the continuous system).
 */
class DiscretizationTest {
  private static Complex c(double re, double im) {
    return new Complex(Tensors.of(DType.F64, new double[] {re}, 1), Tensors.of(DType.F64, new double[] {im}, 1));
  }

  private static void assertComplex(double re, double im, Complex z, double tol, String what) {
    assertEquals(re, z.re().toDoubles()[0], tol, what + " (re)");
    assertEquals(im, z.im().toDoubles()[0], tol, what + " (im)");
  }

  @Test
  void complexArithmetic() {
    Complex a = c(1, 2);
    Complex b = c(3, -1);
    assertComplex(5, 5, a.mul(b), 1e-15, "(1+2i)(3−i) = 5+5i");
    assertComplex(0.1, 0.7, a.div(b), 1e-15, "(1+2i)/(3−i) = (1+7i)/10");
    assertComplex(0.2, -0.4, a.reciprocal(), 1e-15, "1/(1+2i) = (1−2i)/5");
    assertComplex(Math.E * Math.cos(2), Math.E * Math.sin(2), a.exp(), 1e-15, "e^(1+2i)");
    assertEquals(5, a.abs2().item(), 0.0);
    Complex pairs = Complex.ofPairs(Tensors.of(DType.F64, new double[] {1, 2, 3, -1}, 2, 2));
    assertArrayEquals(new double[] {1, 3}, pairs.re().toDoubles(), 0.0);
    assertArrayEquals(new double[] {2, -1}, pairs.im().toDoubles(), 0.0);
  }

  @Test
  void powersByDoublingEqualRepeatedProducts() {
    double zr = 0.9;
    double zi = 0.3;
    Complex p = S4DKernel.powers(c(zr, zi), 13);
    double[] re = p.re().toDoubles();
    double[] im = p.im().toDoubles();
    double wr = 1;
    double wi = 0;
    for (int l = 0; l < 13; l++) {
      assertEquals(wr, re[l], 1e-14, "re z^" + l);
      assertEquals(wi, im[l], 1e-14, "im z^" + l);
      double t = wr * zr - wi * zi;
      wi = wr * zi + wi * zr;
      wr = t;
    }
  }

  /** One mode with A = −0.7 + 2.5i, B = 0.4 − 1.2i, Δ = 0.3. */
  private static S4DKernel oneMode(Discretization disc, double dt) {
    S4DKernel k = new S4DKernel(1, 2, S4DInit.lin(), disc, Rng.seeded(1));
    k.to(DType.F64, Device.cpu());
    Map<String, Parameter> p = k.namedParameters();
    p.get("log_dt").assign(Tensors.of(DType.F64, new double[] {Math.log(dt)}, 1));
    p.get("A_real").assign(Tensors.of(DType.F64, new double[] {Math.log(0.7)}, 1, 1));
    p.get("A_imag").assign(Tensors.of(DType.F64, new double[] {2.5}, 1, 1));
    p.get("B").assign(Tensors.of(DType.F64, new double[] {0.4, -1.2}, 1, 1, 2));
    p.get("C").assign(Tensors.of(DType.F64, new double[] {0.8, 0.6}, 1, 1, 2));
    return k;
  }

  @Test
  void bothRulesFollowTheirFormulas() {
    double ar = -0.7 * 0.3; // ΔA = −0.21 + 0.75i
    double ai = 2.5 * 0.3;
    // ZOH: dA = e^(ΔA); dB = (e^(ΔA) − 1)/A · B
    double er = Math.exp(ar) * Math.cos(ai);
    double ei = Math.exp(ar) * Math.sin(ai);
    S4DKernel.Discrete zoh = oneMode(Discretization.ZOH, 0.3).discretize();
    assertComplex(er, ei, zoh.dA(), 1e-15, "ZOH dA");
    double den = 0.49 + 6.25; // |A|², A = −0.7 + 2.5i
    double qr = ((er - 1) * -0.7 + ei * 2.5) / den;   // (e^(ΔA) − 1)/A
    double qi = (ei * -0.7 - (er - 1) * 2.5) / den;
    assertComplex(qr * 0.4 + qi * 1.2, qi * 0.4 - qr * 1.2, zoh.dB(), 1e-15, "ZOH dB");
    // bilinear: dA = (1 + ΔA/2)/(1 − ΔA/2); dB = Δ/(1 − ΔA/2) · B
    double nr = 1 + ar / 2;
    double ni = ai / 2;
    double mr = 1 - ar / 2;
    double mi = -ai / 2;
    double m2 = mr * mr + mi * mi;
    S4DKernel.Discrete bil = oneMode(Discretization.BILINEAR, 0.3).discretize();
    assertComplex((nr * mr + ni * mi) / m2, (ni * mr - nr * mi) / m2, bil.dA(), 1e-15, "bilinear dA");
    double sr = 0.3 * mr / m2;                        // Δ/(1 − ΔA/2)
    double si = -0.3 * mi / m2;
    assertComplex(sr * 0.4 + si * 1.2, si * 0.4 - sr * 1.2, bil.dB(), 1e-15, "bilinear dB");
  }

  /** Both rules sample the same continuous system: their kernels differ by O(Δ²) relative. */
  @Test
  void zohAndBilinearAgreeAsTheStepShrinks() {
    double previous = Double.POSITIVE_INFINITY;
    for (double dt : new double[] {1e-1, 1e-2, 1e-3}) {
      double[] zoh = oneMode(Discretization.ZOH, dt).kernel(20).toDoubles();
      double[] bil = oneMode(Discretization.BILINEAR, dt).kernel(20).toDoubles();
      double diff = 0;
      double scale = 0;
      for (int l = 0; l < 20; l++) {
        diff = Math.max(diff, Math.abs(zoh[l] - bil[l]));
        scale = Math.max(scale, Math.abs(zoh[l]));
      }
      assertTrue(diff / scale < 2 * dt * dt * 10, "Δ = " + dt + ": relative difference " + diff / scale);
      assertTrue(diff < previous / 50, "Δ = " + dt + ": the difference shrinks like Δ² (" + diff + " after " + previous + ")");
      previous = diff;
    }
  }
}
