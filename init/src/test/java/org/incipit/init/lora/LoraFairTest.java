package org.incipit.init.lora;

import static org.incipit.init.linalg.Mats.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.incipit.init.linalg.Dense;
import org.incipit.init.linalg.Mats;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link LoraFair}'s server step, over 2..5 clients with m, n in 2..7 and r in 1..3: Ā is FedIT's;
 * the objective never exceeds its value at ΔB = 0; λ = 0 raises cos(ΔW, B̄'Ā) strictly above FedIT's
 * (by more than 1e−3 of the gap to 1);
 * identical clients give ΔB* = 0; a huge λ gives FedIT; the analytic gradient matches central
 * differences (1e−6 relative, h = 1e−6); scaling every client's B (hence ΔW) leaves the cosine term
 * unchanged. Tolerances are double-precision rounding bounds.
 */
class LoraFairTest {
  private record Clients(double[][][] b, double[][][] a, double[] p) {}

  private static Clients clients(int k, int m, int n, int r, Rng rng) {
    double[][][] b = new double[k][][];
    double[][][] a = new double[k][][];
    double[] p = new double[k];
    for (int i = 0; i < k; i++) {
      b[i] = Mats.randn(m, r, rng.fork("b").fork(i));
      a[i] = Mats.randn(r, n, rng.fork("a").fork(i));
      p[i] = 1 + i;
    }
    return new Clients(b, a, p);
  }

  @Test
  void theServerStepImprovesTheCosineAndNeverTheObjectiveWorse() {
    qt().withFixedSeed(51).withExamples(40)
        .forAll(integers().between(2, 5), integers().between(2, 7), integers().between(2, 7), integers().all())
        .checkAssert((k, m, n, seed) -> {
          int r = 1 + Math.floorMod(seed, Math.min(3, Math.min(m, n)));
          Clients c = clients(k, m, n, r, Rng.seeded(seed));
          LoraFair.Round fair = LoraFair.aggregate(c.b(), c.a(), c.p(), new LoraFair.Options(0.01, 300, 0.01));
          assertClose(fair.a(), LoraFair.average(c.a(), c.p()), 1e-15, "Ā is FedIT's");
          assertTrue(fair.objective() <= fair.objectiveAtZero(), "f(ΔB*) ≤ f(0)");
          LoraFair.Round free = LoraFair.aggregate(c.b(), c.a(), c.p(), new LoraFair.Options(0, 300, 0.01));
          assertTrue(free.cosFair() > free.cosFedIt() + 1e-3 * (1 - free.cosFedIt()),
              "λ = 0: cos " + free.cosFair() + " rises above FedIT's " + free.cosFedIt());
        });
  }

  @Test
  void identicalClientsNeedNoCorrectionAndAHugeLambdaIsFedIt() {
    Clients one = clients(1, 5, 6, 2, Rng.seeded(52));
    double[][][] b = {one.b()[0], one.b()[0], one.b()[0]};
    double[][][] a = {one.a()[0], one.a()[0], one.a()[0]};
    LoraFair.Round same = LoraFair.aggregate(b, a, new double[] {1, 2, 3}, LoraFair.Options.defaults());
    assertClose(same.b(), one.b()[0], 1e-12, "identical clients: B̄' = B̄");
    assertEquals(1.0, same.cosFedIt(), 1e-12);
    Clients c = clients(4, 5, 6, 2, Rng.seeded(53));
    LoraFair.Round stiff = LoraFair.aggregate(c.b(), c.a(), c.p(), new LoraFair.Options(1e9, 100, 1e-12));
    assertClose(stiff.b(), LoraFair.average(c.b(), c.p()), 1e-9, "λ → ∞: FedIT");
  }

  @Test
  void gradientMatchesCentralDifferences() {
    Rng rng = Rng.seeded(54);
    double[][] ideal = Mats.randn(4, 5, rng.fork("t"));
    double[][] bBar = Mats.randn(4, 2, rng.fork("b"));
    double[][] aBar = Mats.randn(2, 5, rng.fork("a"));
    double[][] delta = Dense.scale(0.3, Mats.randn(4, 2, rng.fork("d")));
    double[][] g = LoraFair.gradient(ideal, bBar, aBar, delta, 0.05);
    double h = 1e-6;
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 2; j++) {
        double[][] plus = PeftInits.copy(delta);
        double[][] minus = PeftInits.copy(delta);
        plus[i][j] += h;
        minus[i][j] -= h;
        double numeric = (LoraFair.objective(ideal, bBar, aBar, plus, 0.05) - LoraFair.objective(ideal, bBar, aBar, minus, 0.05))
            / (2 * h);
        assertEquals(numeric, g[i][j], 1e-6 * (1 + Math.abs(numeric)), "∂f/∂ΔB[" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void theCosineTermIsScaleInvariantInTheUpdate() {
    Clients c = clients(3, 4, 5, 2, Rng.seeded(55));
    double[][][] scaled = new double[3][][];
    for (int k = 0; k < 3; k++) {
      scaled[k] = Dense.scale(7, c.b()[k]);
    }
    LoraFair.Options o = new LoraFair.Options(0, 0, 0.01);
    assertEquals(LoraFair.aggregate(c.b(), c.a(), c.p(), o).cosFedIt(), LoraFair.aggregate(scaled, c.a(), c.p(), o).cosFedIt(),
        1e-12, "cos(ΔW, B̄Ā) does not see a common scale, so LoRA-FAIR does not correct magnitude");
    assertThrows(IllegalArgumentException.class, () -> LoraFair.aggregate(c.b(), c.a(), new double[] {1}, o));
  }
}
