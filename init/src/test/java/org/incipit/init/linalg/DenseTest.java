package org.incipit.init.linalg;

import static org.incipit.init.linalg.Mats.assertClose;
import static org.incipit.init.linalg.Mats.assertOrthonormalColumns;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The double-precision SVD and QR of {@link Dense}: reconstruction, orthonormal factors, order, and
 * rank-deficient inputs, over shapes 1..8 × 1..8 (1×n and m×1 included). Tolerance 1e−12 relative
 * to the largest entry: Jacobi and Householder are backward stable, errors seen are ~1e−15.
 */
class DenseTest {
  private static final double TOL = 1e-12;

  @Test
  void svdReconstructsWithOrthonormalFactorsAndDescendingValues() {
    qt().withFixedSeed(11).withExamples(150).forAll(integers().between(1, 8), integers().between(1, 8), integers().all())
        .checkAssert((m, n, seed) -> {
          double[][] a = Mats.randn(m, n, Rng.seeded(seed));
          Dense.Svd d = Dense.svd(a);
          int k = Math.min(m, n);
          assertEquals(k, d.s().length);
          assertClose(Dense.mul(Dense.columns(d.u(), 0, k, d.s()), Dense.transpose(d.v())), a, TOL, "U S Vᵀ = A");
          assertOrthonormalColumns(d.u(), TOL, "U");
          assertOrthonormalColumns(d.v(), TOL, "V");
          for (int i = 1; i < k; i++) {
            assertTrue(d.s()[i - 1] >= d.s()[i] && d.s()[i] >= 0, "descending, non-negative");
          }
        });
  }

  @Test
  void svdOfRankDeficientAndZeroMatricesKeepsUOrthonormal() {
    qt().withFixedSeed(12).withExamples(60).forAll(integers().between(2, 8), integers().between(2, 8), integers().all())
        .checkAssert((m, n, seed) -> {
          double[][] a = Mats.withSpectrum(m, n, new double[] {3.0}, Rng.seeded(seed)); // rank 1
          Dense.Svd d = Dense.svd(a);
          assertEquals(3.0, d.s()[0], 1e-12);
          for (int i = 1; i < d.s().length; i++) {
            assertEquals(0.0, d.s()[i], 1e-12, "rank 1: the other singular values vanish");
          }
          assertOrthonormalColumns(d.u(), TOL, "U of a rank-1 matrix");
        });
    Dense.Svd zero = Dense.svd(new double[3][2]);
    assertArrayEquals(new double[] {0, 0}, zero.s());
    assertOrthonormalColumns(zero.u(), TOL, "U of 0");
  }

  @Test
  void knownSvdByHand() {
    // [[3, 0], [4, 5]]: AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5, so S = (√45, √5).
    Dense.Svd d = Dense.svd(new double[][] {{3, 0}, {4, 5}});
    assertArrayEquals(new double[] {Math.sqrt(45), Math.sqrt(5)}, d.s(), 1e-14);
  }

  @Test
  void qrReconstructsWithOrthonormalQAndTriangularR() {
    qt().withFixedSeed(13).withExamples(150).forAll(integers().between(1, 8), integers().between(1, 8), integers().all())
        .checkAssert((m, n, seed) -> {
          double[][] a = Mats.randn(m, n, Rng.seeded(seed));
          Dense.Qr qr = Dense.qr(a);
          assertClose(Dense.mul(qr.q(), qr.r()), a, TOL, "QR = A");
          assertOrthonormalColumns(qr.q(), TOL, "Q");
          for (int i = 0; i < qr.r().length; i++) {
            for (int j = 0; j < Math.min(i, n); j++) {
              assertEquals(0.0, qr.r()[i][j], "R is upper triangular at " + i + "," + j);
            }
          }
        });
  }
}
