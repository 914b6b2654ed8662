package org.incipit.init;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.ejml.data.Complex_F32;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F32;
import org.junit.jupiter.api.Test;

/**
 * {@link HippoLegS}: the normal part of HiPPO-LegS is −½·I plus a skew-symmetric matrix, its
 * spectrum agrees with an independent float32 EJML eigen-decomposition of A + PPᵀ (real parts −½ to
 * 1e−3·‖A‖, imaginary parts to 1e−4 relative, float32's reach), the fixture's N = 64 extremes hold
 * (smallest ω 0.264, largest 1303), and Parseval holds for B̃ (2·Σ B̃² = ‖B‖² = N², to 1e−10).
 * The 1e−12 agreement with numpy is {@code S4DFixtureTest} (tests module).
 */
class HippoLegSTest {
  @Test
  void theNormalPartIsMinusHalfPlusTheClosedFormSkewMatrix() {
    int n = 12;
    double[][] ap = HippoLegS.normalPart(n);
    double[][] s = HippoLegS.skewPart(n);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        assertEquals(s[i][k] - (i == k ? 0.5 : 0), ap[i][k], 1e-12 * n, "A + PPᵀ at (" + i + ", " + k + ")");
        assertEquals(-s[k][i], s[i][k], 0.0, "skew-symmetric at (" + i + ", " + k + ")");
      }
    }
  }

  @Test
  void theSpectrumMatchesAnIndependentEjmlEigenDecomposition() {
    for (int n : new int[] {2, 8, 16, 32}) {
      double[][] ap = HippoLegS.normalPart(n);
      FMatrixRMaj m = new FMatrixRMaj(n, n);
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
          m.set(i, k, (float) ap[i][k]);
        }
      }
      EigenDecomposition_F32<FMatrixRMaj> eig = DecompositionFactory_FDRM.eig(n, false);
      assertTrue(eig.decompose(m), "EJML eigen-decomposition at N = " + n);
      double[] positive = new double[n / 2];
      int count = 0;
      double largest = HippoLegS.spectrum(n).imag()[n / 2 - 1];
      for (int j = 0; j < n; j++) {
        Complex_F32 w = eig.getEigenvalue(j);
        assertEquals(-0.5, w.real, 1e-3 * Math.max(1, largest / 100), "real part at N = " + n);
        if (w.imaginary > 0) {
          positive[count++] = w.imaginary;
        }
      }
      assertEquals(n / 2, count, "one eigenvalue per conjugate pair has Im > 0 at N = " + n);
      Arrays.sort(positive);
      double[] mine = HippoLegS.spectrum(n).imag();
      for (int j = 0; j < n / 2; j++) {
        assertEquals(positive[j], mine[j], 1e-4 * Math.max(1, mine[j]), "ω_" + j + " at N = " + n);
      }
    }
  }

  @Test
  void theN64ExtremesAreThoseTheSpecQuotes() {
    double[] w = HippoLegS.spectrum(64).imag();
    assertEquals(0.264, w[0], 5e-4, "smallest ω at N = 64");
    assertEquals(1303, w[31], 0.5, "largest ω at N = 64");
    for (int j = 1; j < w.length; j++) {
      assertTrue(w[j] > w[j - 1], "ω ascending and distinct");
    }
  }

  @Test
  void theProjectedInputKeepsTheNormOfB() {
    for (int n : new int[] {2, 8, 64}) {
      double sum = 0;
      for (double b : HippoLegS.spectrum(n).b()) {
        assertTrue(b >= 0, "B̃ is real and ≥ 0 by the phase choice");
        sum += 2 * b * b;
      }
      assertEquals((double) n * n, sum, 1e-10 * n * n, "2·Σ B̃² = ‖B‖² = N² at N = " + n);
    }
  }

  @Test
  void badSizesNameTheScheme() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HippoLegS.spectrum(7));
    assertTrue(e.getMessage().contains("hippo-legs") && e.getMessage().contains("7"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HippoLegS.a(0));
  }
}
