package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.ntk.EmpiricalNtk;
import org.incipit.nn.ntk.NtkLinear;
import org.incipit.nn.ntk.NtkMlp;
import org.incipit.nn.ntk.ReluNtk;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.testkit.Cdf;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/**
 * The NTK parameterization and kernel (Jacot, Gabriel, Hongler 2018, arXiv:1806.07572): every
 * parameter N(0, 1) (χ² variance and Kolmogorov–Smirnov at {@link SampleCheck#DEFAULT_ALPHA}),
 * the forward W·x/√n + β·b, the empirical kernel symmetric PSD (QuickTheories: vᵀΘ̂v ≥ 0 for
 * random v, pinned seed), the analytic diagonal 0.52 of the spec's check (1 hidden ReLU layer,
 * β = 0.1, unit-circle inputs), and the empirical kernel's mean over 4 seeds at width 2000 within
 * 0.06 of the analytic one (the seed std there is ≈ 0.95/√n ≈ 0.021, so the mean's std is ≈ 0.011
 * and 0.06 is about 5.6 of them).
 */
class NtkPropertiesTest {
  private static final double[][] CIRCLE = {{1, 0}, {Math.cos(1.0), Math.sin(1.0)}, {Math.cos(2.5), Math.sin(2.5)}};

  private static Tensor circle() {
    double[] v = new double[6];
    for (int i = 0; i < 3; i++) {
      v[2 * i] = CIRCLE[i][0];
      v[2 * i + 1] = CIRCLE[i][1];
    }
    return Tensors.of(DType.F32, v, 3, 2);
  }

  @Test
  void parametersAreStandardNormalAndTheForwardIsScaled() {
    NtkLinear layer = new NtkLinear(200, 300, NtkLinear.BETA, Rng.seeded(3));
    double[] w = layer.weight().value().toDoubles();
    SampleCheck.assertVariance(w, 1, SampleCheck.NORMAL_KURTOSIS, SampleCheck.DEFAULT_ALPHA);
    SampleCheck.assertDistribution(w, Cdf.normal(0, 1), SampleCheck.DEFAULT_ALPHA);
    SampleCheck.assertVariance(layer.bias().value().toDoubles(), 1, SampleCheck.NORMAL_KURTOSIS, SampleCheck.DEFAULT_ALPHA);
    Tensor x = Tensors.of(DType.F32, Rng.seeded(4).normal(200), 1, 200);
    double[] y = layer.forward(x).toDoubles();
    double[] xv = x.toDoubles();
    double[] b = layer.bias().value().toDoubles();
    for (int o = 0; o < 300; o += 37) {
      double s = 0;
      for (int i = 0; i < 200; i++) {
        s += w[o * 200 + i] * xv[i];
      }
      assertEquals(s / Math.sqrt(200) + 0.1 * b[o], y[o], 1e-4, "output " + o);
    }
    assertThrows(IllegalArgumentException.class, () -> new NtkLinear(0, 3, 0.1, Rng.seeded(1)));
  }

  @Test
  void theEmpiricalKernelIsSymmetricPositiveSemiDefinite() {
    NtkMlp net = new NtkMlp(new int[] {2, 64, 64, 1}, 0.1, Rng.seeded(7));
    double[][] k = EmpiricalNtk.kernel(net.parameters(), net::forward, circle());
    qt().withFixedSeed(8).withExamples(200).forAll(lists().of(doubles().between(-1, 1)).ofSize(3)).checkAssert(v -> {
      double q = 0;
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          assertEquals(k[a][b], k[b][a], 0.0, "symmetric");
          q += v.get(a) * k[a][b] * v.get(b);
        }
      }
      assertTrue(q >= -1e-9, "vᵀΘ̂v = " + q);
    });
  }

  @Test
  void theAnalyticDiagonalIsTheSpecsValue() {
    double[][] t = ReluNtk.kernel(CIRCLE, 2, 0.1);
    for (int i = 0; i < 3; i++) {
      assertEquals(0.52, t[i][i], 1e-12, "Θ(x, x) for |x| = 1, one hidden layer, β = 0.1");
    }
    assertEquals(0.51, ReluNtk.kernel(CIRCLE, 1, 0.1)[0][0], 1e-12, "Θ¹ = Σ¹ = ½ + β²");
    assertThrows(IllegalArgumentException.class, () -> ReluNtk.kernel(CIRCLE, 0, 0.1));
  }

  @Test
  void theEmpiricalKernelApproachesTheLimitAtWidth() {
    double[][] want = ReluNtk.kernel(CIRCLE, 2, 0.1);
    double[][] mean = new double[3][3];
    int seeds = 4;
    for (int s = 0; s < seeds; s++) {
      NtkMlp net = new NtkMlp(new int[] {2, 2000, 1}, 0.1, Rng.seeded(100 + s));
      double[][] k = EmpiricalNtk.kernel(net.parameters(), net::forward, circle());
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          mean[a][b] += k[a][b] / seeds;
        }
      }
    }
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        assertEquals(want[a][b], mean[a][b], 0.06, "mean Θ̂(" + a + ", " + b + ") at width 2000");
      }
    }
  }
}
