package org.incipit.init.lora;

import static org.incipit.init.linalg.Mats.assertClose;
import static org.incipit.init.linalg.Mats.assertOrthonormalColumns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import org.incipit.init.linalg.Dense;
import org.incipit.init.linalg.Mats;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link LoraXsInits}: LoRA-SB's B has orthonormal columns and A orthonormal rows, its update is
 * trunc_r(−η·sign(G)) with Eckart–Young error equal to the tail energy Σ_{i>r} S_i² (checked
 * against the singular values of the step), and the sign-free variant equals the full step −ηG
 * exactly when rank G ≤ r; LoRA-XS's B·A is trunc_r(W0) and R is N(0, 1e−10)-small. Shapes
 * 1..9 × 1..9, r in 1..min(m, n); tolerance 1e−11 relative.
 */
class LoraXsInitsTest {
  private static final double TOL = 1e-11;

  @Test
  void loraSbFactorsAreOrthonormalAndItsErrorIsTheTailEnergy() {
    qt().withFixedSeed(31).withExamples(120)
        .forAll(integers().between(1, 9), integers().between(1, 9), doubles().between(1e-4, 1e-1), integers().all())
        .checkAssert((m, n, lr, seed) -> {
          Rng rng = Rng.seeded(seed);
          double[][] g = Mats.randn(m, n, rng.fork("g"));
          int r = 1 + Math.floorMod(seed, Math.min(m, n));
          LoraXsInits.Factors f = LoraXsInits.loraSb(Mats.randn(m, n, rng.fork("w")), g, lr, r, r);
          assertOrthonormalColumns(f.b(), TOL, "BᵀB = I");
          assertOrthonormalColumns(Dense.transpose(f.a()), TOL, "AAᵀ = I");
          double[][] step = new double[m][n];
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              step[i][j] = -lr * Math.signum(g[i][j]);
            }
          }
          double[] s = Dense.svd(step).s();
          double tail = 0;
          for (int i = r; i < s.length; i++) {
            tail += s[i] * s[i];
          }
          double err = Dense.frobenius2(Dense.combine(1, step, -1, f.delta(1)));
          assertEquals(tail, err, 1e-10 * (1 + Dense.frobenius2(step)), "‖ΔW₁ − sBRA‖² = Σ_{i>r} S_i²");
          for (int i = 0; i < r; i++) {
            assertEquals(s[i], f.r()[i][i], 1e-12, "R = diag(S_r)/s with s = 1");
          }
        });
  }

  @Test
  void signFreeInitIsTheFirstFullStepWhenTheGradientHasRankAtMostR() {
    qt().withFixedSeed(32).withExamples(60).forAll(integers().between(2, 9), integers().between(2, 9), integers().all())
        .checkAssert((m, n, seed) -> {
          Rng rng = Rng.seeded(seed);
          int r = 1 + Math.floorMod(seed, Math.min(m, n));
          double[][] g = Dense.mul(Mats.randn(m, r, rng.fork("l")), Mats.randn(r, n, rng.fork("r"))); // rank ≤ r
          double alpha = 2.0 * r;
          LoraXsInits.Factors f = LoraXsInits.loraSbSignFree(Mats.randn(m, n, rng), g, 0.01, r, alpha);
          assertClose(f.delta(alpha / r), Dense.scale(-0.01, g), TOL, "s·BRA = −ηG");
        });
  }

  @Test
  void loraXsBTimesAIsTheTruncatedWeightAndRStartsTiny() {
    double[][] w = Mats.withSpectrum(8, 6, new double[] {6, 5, 4, 3, 2, 1}, Rng.seeded(7));
    LoraXsInits.Factors f = LoraXsInits.loraXs(w, 3, Rng.seeded(8));
    assertClose(Dense.mul(f.b(), f.a()), Dense.truncate(w, 3), TOL, "BA = U_r Σ_r V_rᵀ");
    assertOrthonormalColumns(f.b(), TOL, "B = U_r");
    assertTrue(Mats.maxAbs(f.r()) < 1e-4 && Mats.maxAbs(f.r()) > 0, "R ~ N(0, 1e−10): non-zero, tiny");
  }
}
