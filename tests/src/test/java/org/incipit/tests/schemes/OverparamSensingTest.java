package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.incipit.init.linalg.Mat;
import org.incipit.init.matrix.OverparamSensing;
import org.incipit.init.matrix.OverparamSensing.Factors;
import org.incipit.init.matrix.Sensing;
import org.incipit.tensor.Rng;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/** Holds {@link OverparamSensing} (Xiong, Ding, Du 2024, arXiv:2310.01769) to its formulas and its claim. */
class OverparamSensingTest {
  /**
   * The modified step changes the basis only: FGᵀ is unchanged to 1e−12 relative (a few k×k
   * products in float64, k ≤ 5), every singular value of the new G is ≥ c (to 1e−9), and those
   * already ≥ c stay, so ‖G′‖ = max(‖G‖, c). Shapes include size-1 dimensions.
   */
  @Test
  void rebalanceKeepsTheProductAndLiftsG() {
    qt().withFixedSeed(21).withExamples(200)
        .forAll(longs().between(0, 1_000_000), integers().between(1, 6), integers().between(1, 5),
            doubles().between(0.01, 2))
        .checkAssert((seed, n, k, c) -> {
          Rng rng = Rng.seeded(seed);
          Factors x = new Factors(rng.fork("f").normal(n * k), rng.fork("g").normal((n + 1) * k, 0, 0.3), n, n + 1, k);
          if (k > n + 1) {
            return; // G (n+1, k) with k > n+1 has zero singular values: rejected, tested below
          }
          Factors z = OverparamSensing.rebalance(x, c);
          double[] before = x.product();
          double change = Mat.frobenius(Mat.sub(z.product(), before)) / Mat.frobenius(before);
          assertTrue(change < 1e-12, "FGᵀ changed by " + change);
          double[] eig = Mat.symmetricEigen(Mat.tmul(z.g(), z.g(), n + 1, k, k), k)[0];
          for (double l : eig) {
            assertTrue(Math.sqrt(l) >= c * (1 - 1e-9), "singular value " + Math.sqrt(l) + " < c = " + c);
          }
        });
  }

  /** Jacobi: V·diag(λ)·Vᵀ = S and VᵀV = I to 1e−12 on random symmetric matrices, k = 1 … 8. */
  @Test
  void symmetricEigenReconstructs() {
    qt().withFixedSeed(5).withExamples(100).forAll(longs().between(0, 1_000_000), integers().between(1, 8))
        .checkAssert((seed, k) -> {
          double[] g = Rng.seeded(seed).normal(k * k);
          double[] s = Mat.sub(g, Mat.scale(Mat.transpose(g, k, k), -1)); // G + Gᵀ
          double[][] e = Mat.symmetricEigen(s, k);
          double[] vl = new double[k * k];
          for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
              vl[i * k + j] = e[1][i * k + j] * e[0][j];
            }
          }
          assertTrue(Mat.frobenius(Mat.sub(Mat.mulT(vl, e[1], k, k, k), s)) < 1e-12 * (1 + Mat.frobenius(s)));
          SampleCheck.assertOrthogonal(e[1], k, k, 1, 1e-12);
        });
  }

  /**
   * The asymmetric and symmetric steps are gradient steps of L = ½‖𝒜(·) − y‖²/m: (F − F′)/η matches
   * central differences of L (h = 1e−6, O(h²) error) to 1e−6.
   */
  @Test
  void stepsFollowTheGradientOfTheSquaredLoss() {
    int n = 4;
    int k = 3;
    Rng rng = Rng.seeded(9);
    Sensing a = Sensing.gaussian(40, n, n, rng.fork("a"));
    double[] y = rng.fork("y").normal(40);
    Factors x = new Factors(rng.fork("f").normal(n * k), rng.fork("g").normal(n * k), n, n, k);
    double eta = 1e-3;
    Factors next = OverparamSensing.step(a, y, x, eta);
    double h = 1e-6;
    for (int i = 0; i < n * k; i++) {
      double[] up = x.f().clone();
      double[] dn = x.f().clone();
      up[i] += h;
      dn[i] -= h;
      double fd = (loss(a, y, new Factors(up, x.g(), n, n, k).product()) - loss(a, y, new Factors(dn, x.g(), n, n, k).product())) / (2 * h);
      assertEquals(fd, (x.f()[i] - next.f()[i]) / eta, 1e-6, "∂L/∂F[" + i + "]");
    }
    double[] xs = x.f();
    double[] nextX = OverparamSensing.symmetricStep(a, y, xs, k, eta);
    for (int i = 0; i < n * k; i++) {
      double[] up = xs.clone();
      double[] dn = xs.clone();
      up[i] += h;
      dn[i] -= h;
      double fd = (loss(a, y, Mat.mulT(up, up, n, k, n)) - loss(a, y, Mat.mulT(dn, dn, n, k, n))) / (2 * h);
      assertEquals(fd, (xs[i] - nextX[i]) / eta, 1e-6, "∂L/∂X[" + i + "]");
    }
  }

  /**
   * The spec's property on a miniature (n = 8, r = 2, k = 3, m = 200, η = 0.2, T₁ = 150, c = 0.5):
   * after the modified step the log-error falls at the same rate for α = 0.1 and α = 0.01 (relative
   * difference ≤ 20 %), while plain GD's rate differs between them by more than 2×.
   */
  @Test
  void postStepRateIsIndependentOfAlpha() {
    int n = 8;
    Rng rng = Rng.seeded(2);
    double[] mStar = Sensing.psdGroundTruth(n, new double[] {1, 0.5}, rng.fork("m"));
    Sensing a = Sensing.gaussian(200, n, n, rng.fork("a"));
    double[] y = a.apply(mStar);
    double[] fixed = new double[2];
    double[] plain = new double[2];
    double[] alphas = {0.1, 0.01};
    for (int i = 0; i < 2; i++) {
      Factors x0 = OverparamSensing.asymmetricInit(n, n, 3, alphas[i], rng.fork("x0"));
      fixed[i] = rate(OverparamSensing.runAsymmetric(a, y, mStar, x0, 0.2, 450, 150, 0.5), 200, 450);
      plain[i] = rate(OverparamSensing.runAsymmetric(a, y, mStar, x0, 0.2, 450, -1, 0.5), 200, 450);
    }
    double spread = Math.abs(fixed[0] - fixed[1]) / Math.max(fixed[0], fixed[1]);
    assertTrue(spread <= 0.2, "post-step rates " + fixed[0] + ", " + fixed[1] + " differ by " + spread);
    assertTrue(plain[0] > 2 * plain[1], "plain rates " + plain[0] + ", " + plain[1]);
  }

  /** F₀ has variance α²/n₁ and G₀ (α/3)²/n₂ per entry: χ² bands with false-alarm rate 1e−6 each. */
  @Test
  void initializationIsImbalancedAlphaAndAlphaOverThree() {
    Factors x = OverparamSensing.asymmetricInit(100, 50, 100, 0.3, Rng.seeded(4));
    SampleCheck.assertVariance(x.f(), 0.09 / 100, SampleCheck.NORMAL_KURTOSIS, 1e-6);
    SampleCheck.assertVariance(x.g(), 0.01 / 50, SampleCheck.NORMAL_KURTOSIS, 1e-6);
  }

  @Test
  void badInputIsNamed() {
    Factors rankDeficient = new Factors(new double[6], new double[] {1, 0, 0, 1, 0, 0}, 2, 2, 3);
    var e = assertThrows(IllegalArgumentException.class, () -> OverparamSensing.rebalance(rankDeficient, 0.5));
    assertTrue(e.getMessage().contains("zero singular value"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OverparamSensing.rebalance(rankDeficient, 0));
    assertTrue(e.getMessage().contains("c must be"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Factors(new double[5], new double[6], 2, 2, 3));
    assertTrue(e.getMessage().contains("(2, 3)"), e.getMessage());
  }

  /** Decades per step from t = from to the first t ≥ from with error &lt; 1e−13 (or to). */
  private static double rate(double[] err, int from, int to) {
    int end = to;
    for (int t = from; t <= to; t++) {
      if (err[t] < 1e-13) {
        end = t;
        break;
      }
    }
    return (Math.log10(err[from]) - Math.log10(err[end])) / (end - from);
  }

  private static double loss(Sensing a, double[] y, double[] z) {
    double[] r = Mat.sub(a.apply(z), y);
    return 0.5 * Mat.dot(r, r) / a.m();
  }
}
