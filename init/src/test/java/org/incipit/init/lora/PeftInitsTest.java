package org.incipit.init.lora;

import static org.incipit.init.linalg.Mats.assertClose;
import static org.incipit.init.linalg.Mats.assertOrthonormalColumns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import org.incipit.init.linalg.Dense;
import org.incipit.init.linalg.Mats;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link PeftInits}: the residual schemes (PiSSA, OLoRA, LoRA-GA, CorDA IPM/KPM) give
 * base + s·B·A = W0, so every output is unchanged; default, gaussian, orthogonal and MiCA give
 * B·A = 0; PiSSA's s·BA is trunc_r(W0) (Eckart–Young: the residual is orthogonal to it on both sides
 * and no larger); OLoRA's B is orthonormal; LoRA-GA's factors span the gradient's singular
 * directions (r+1..2r on the left, 1..r on the right); MiCA's B spans the minor directions. Shapes
 * 1..9 × 1..9, r from 1 to min(m, n), α in [0.5, 32]; tolerance 1e−11 relative (double arithmetic).
 */
class PeftInitsTest {
  private static final double TOL = 1e-11;

  @Test
  void residualSchemesLeaveTheWeightUnchanged() {
    qt().withFixedSeed(21).withExamples(120)
        .forAll(integers().between(1, 9), integers().between(1, 9), doubles().between(0.5, 32), integers().all())
        .checkAssert((m, n, alpha, seed) -> {
          Rng rng = Rng.seeded(seed);
          double[][] w = Mats.randn(m, n, rng.fork("w"));
          int r = 1 + Math.floorMod(seed, Math.min(m, n));
          double s = alpha / r;
          double[][] cov = Dense.mul(Mats.randn(n, n + 2, rng.fork("x")), Dense.transpose(Mats.randn(n, n + 2, rng.fork("x"))));
          assertClose(PeftInits.pissa(w, r, alpha).effective(s), w, TOL, "pissa");
          assertClose(PeftInits.olora(w, r, alpha).effective(s), w, TOL, "olora");
          assertClose(PeftInits.corda(w, cov, r, alpha, false).effective(s), w, 1e-9, "corda ipm");
          assertClose(PeftInits.corda(w, cov, r, alpha, true).effective(s), w, 1e-9, "corda kpm");
          if (2 * r <= Math.min(m, n)) {
            assertClose(PeftInits.loraGa(w, Mats.randn(m, n, rng.fork("g")), r, alpha, 16).effective(s), w, TOL, "lora_ga");
          }
        });
  }

  @Test
  void noOpSchemesHaveBTimesAZero() {
    qt().withFixedSeed(22).withExamples(80).forAll(integers().between(2, 9), integers().between(2, 9), integers().all())
        .checkAssert((m, n, seed) -> {
          Rng rng = Rng.seeded(seed);
          double[][] w = Mats.randn(m, n, rng.fork("w"));
          int r = 2 * (1 + Math.floorMod(seed, Math.min(m, n) / 2)); // even, for orthogonal
          for (LowRankFactors f : new LowRankFactors[] {PeftInits.kaimingDefault(w, r, rng), PeftInits.gaussian(w, r, rng),
              PeftInits.orthogonal(w, r, rng), PeftInits.mica(w, r)}) {
            assertTrue(Mats.maxAbs(Dense.mul(f.b(), f.a())) <= 1e-15, "B·A = 0");
            assertClose(f.base(), w, 0, "base untouched");
          }
          LowRankFactors o = PeftInits.orthogonal(w, r, rng);
          assertTrue(Mats.maxAbs(o.a()) > 0 && Mats.maxAbs(o.b()) > 0, "orthogonal: both factors non-zero");
        });
  }

  @Test
  void pissaIsTheBestRankRApproximation() {
    qt().withFixedSeed(23).withExamples(80).forAll(integers().between(2, 9), integers().between(2, 9), integers().all())
        .checkAssert((m, n, seed) -> {
          double[][] w = Mats.randn(m, n, Rng.seeded(seed));
          int r = 1 + Math.floorMod(seed, Math.min(m, n) - 1);
          double alpha = 2.0 * r;
          LowRankFactors f = PeftInits.pissa(w, r, alpha);
          double[][] delta = f.delta(alpha / r);
          double[][] res = f.base();
          assertTrue(Mats.maxAbs(Dense.mul(Dense.transpose(res), delta)) <= 1e-10, "column spaces orthogonal");
          assertTrue(Mats.maxAbs(Dense.mul(res, Dense.transpose(delta))) <= 1e-10, "row spaces orthogonal");
          double[] sd = Dense.svd(delta).s();
          double[] sr = Dense.svd(res).s();
          assertEquals(0.0, r < sd.length ? sd[r] : 0.0, 1e-10, "rank(s·BA) ≤ r");
          assertTrue(sd[r - 1] >= sr[0] - 1e-10, "the kept directions dominate the residual's");
          assertClose(Dense.mul(Dense.transpose(f.b()), f.b()), Dense.mul(f.a(), Dense.transpose(f.a())), TOL, "BᵀB = AAᵀ = S_r/s");
        });
  }

  @Test
  void oloraHasOrthonormalBAndTriangularA() {
    double[][] w = Mats.randn(7, 5, Rng.seeded(3));
    LowRankFactors f = PeftInits.olora(w, 3, 6);
    assertOrthonormalColumns(f.b(), TOL, "olora B");
    assertEquals(0.0, f.a()[2][1], "A = R[:r] is upper triangular");
  }

  @Test
  void loraGaTakesRightDirections1ToRAndLeftDirectionsRPlus1To2r() {
    Rng rng = Rng.seeded(4);
    double[] spectrum = {9, 7, 5, 3, 2, 1};
    double[][] u = Dense.qr(Mats.randn(8, 6, rng.fork("u"))).q();
    double[][] v = Dense.qr(Mats.randn(10, 6, rng.fork("v"))).q();
    double[][] g = Dense.mul(Dense.columns(u, 0, 6, spectrum), Dense.transpose(v));
    int r = 2;
    LowRankFactors f = PeftInits.loraGa(Mats.randn(8, 10, rng.fork("w")), g, r, 4, 16);
    double zeta2 = Math.sqrt(8) / 16; // ζ² = (m^¼/√γ)² = √m/γ
    double[][] vr = Dense.columns(v, 0, r, null);
    double[][] ur = Dense.columns(u, r, 2 * r, null);
    assertClose(Dense.mul(Dense.transpose(f.a()), f.a()), Dense.scale(zeta2, Dense.mul(vr, Dense.transpose(vr))), TOL, "AᵀA");
    assertClose(Dense.mul(f.b(), Dense.transpose(f.b())), Dense.scale(zeta2, Dense.mul(ur, Dense.transpose(ur))), TOL, "BBᵀ");
  }

  @Test
  void cordaWithIsotropicInputsIsPissaAndKpmKeepsTheMinorPart() {
    double[][] w = Mats.withSpectrum(6, 5, new double[] {5, 4, 3, 2, 1}, Rng.seeded(5));
    double[][] cov = Dense.identity(5);
    double r = 2;
    assertClose(PeftInits.corda(w, cov, 2, 2, false).delta(1), Dense.truncate(w, 2), TOL, "IPM with C = I: trunc_2(W0)");
    double[][] minor = Dense.combine(1, w, -1, Dense.truncate(w, 3));
    assertClose(PeftInits.corda(w, cov, 2, r, true).delta(1), minor, TOL, "KPM with C = I: the two smallest directions");
  }

  @Test
  void micaSpansTheMinorLeftSingularDirections() {
    double[][] w = Mats.withSpectrum(7, 4, new double[] {8, 4, 2, 1}, Rng.seeded(6));
    LowRankFactors f = PeftInits.mica(w, 2);
    assertOrthonormalColumns(f.b(), TOL, "mica B");
    assertEquals(2 * 2 + 1, Dense.frobenius2(Dense.mul(Dense.transpose(f.b()), w)), 1e-10, "‖BᵀW0‖² = 2² + 1²");
  }

  @Test
  void badInputNamesTheSchemeAndTheBound() {
    double[][] w = new double[3][4];
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeftInits.pissa(w, 4, 1)).getMessage().contains("pissa"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeftInits.orthogonal(w, 3, Rng.seeded(0))).getMessage()
        .contains("even"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeftInits.loraGa(w, new double[4][3], 1, 1, 16))
        .getMessage().contains("gradient"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PeftInits.corda(w, new double[3][3], 1, 1, false))
        .getMessage().contains("4x4"));
  }
}
