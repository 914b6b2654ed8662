package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.DiffusionStart;
import org.incipit.models.data.Digits;
import org.incipit.models.nets.TinyDdpm;
import org.incipit.optim.AdamW;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/** Holds {@link DiffusionStart} (RDEIC arXiv:2410.02640, Video-MSG arXiv:2504.08641) and {@link TinyDdpm}. */
class DiffusionStartTest {
  private static final double[] ALPHA_BARS = DiffusionStart.alphaBars(DiffusionStart.linearBetas(100, 1e-3, 0.2));

  /** ᾱ₀ = 1, so t* = 0 returns z bit for bit, for any shape (size-1 dimensions included). */
  @Test
  void startAtStepZeroIsTheDraftItself() {
    qt().withFixedSeed(3).withExamples(50).forAll(longs().between(0, 1_000_000), integers().between(1, 5),
        integers().between(1, 7)).checkAssert((seed, rows, cols) -> {
          Tensor z = Tensors.of(DType.F64, Rng.seeded(seed).normal(rows * cols), rows, cols);
          Tensor x = DiffusionStart.noisedLatent(z, ALPHA_BARS, 0, Rng.seeded(seed).fork("eps"));
          assertArrayEquals(z.toDoubles(), x.toDoubles(), 0.0);
        });
  }

  /**
   * With z ~ N(0, 4) and ε ~ N(0, 1) independent, x = √ᾱ·z + √(1−ᾱ)·ε is exactly N(0, 4ᾱ + 1 − ᾱ):
   * χ² band on 10⁴ values (false-alarm 1e−6) at t* = 10, 30, 70, 100.
   */
  @Test
  void varianceIsAlphaBarTimesVarZPlusOneMinusAlphaBar() {
    for (int tStar : new int[] {10, 30, 70, 100}) {
      Tensor z = Tensors.of(DType.F64, Rng.seeded(11).normal(10_000, 0, 2), 10_000);
      double[] x = DiffusionStart.noisedLatent(z, ALPHA_BARS, tStar, Rng.seeded(12).fork(tStar)).toDoubles();
      double a = ALPHA_BARS[tStar];
      SampleCheck.assertVariance(x, 4 * a + 1 - a, SampleCheck.NORMAL_KURTOSIS, 1e-6);
    }
  }

  /**
   * corr(x, z) = √ᾱ·σ_z/√(ᾱσ_z² + 1 − ᾱ); at t* = T it is ≈ 0.013 (pure noise). On n = 10⁴ pairs the
   * sample correlation's standard error is ≤ (1 − ρ²)/√n ≤ 0.01, so ±0.049 (4.9 s.e., false-alarm ≈ 1e−6).
   */
  @Test
  void correlationWithTheDraftIsSqrtAlphaBarScaled() {
    for (int tStar : new int[] {10, 30, 100}) {
      double[] z = Rng.seeded(21).normal(10_000, 0, 2);
      double[] x = DiffusionStart.noisedLatent(Tensors.of(DType.F64, z, z.length), ALPHA_BARS, tStar,
          Rng.seeded(22).fork(tStar)).toDoubles();
      double a = ALPHA_BARS[tStar];
      double expected = Math.sqrt(a) * 2 / Math.sqrt(4 * a + 1 - a);
      assertEquals(expected, correlation(x, z), 0.049, "t* = " + tStar);
    }
    assertTrue(Math.sqrt(ALPHA_BARS[100]) < 0.01, "ᾱ_T must be near 0 for t* = T to be pure noise");
  }

  @Test
  void scheduleIsDecreasingFromOne() {
    assertEquals(1.0, ALPHA_BARS[0]);
    for (int t = 1; t < ALPHA_BARS.length; t++) {
      assertTrue(ALPHA_BARS[t] < ALPHA_BARS[t - 1] && ALPHA_BARS[t] > 0);
    }
    double[] b = DiffusionStart.linearBetas(5, 0.1, 0.5);
    assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, b, 1e-15);
  }

  /** Sampling from t* = 0 runs no step; 30 AdamW steps lower the DDPM loss (on fixed t, ε) by ≥ 20 %. */
  @Test
  void tinyDdpmSamplesFromItsStartAndLearns() {
    Rng rng = Rng.seeded(5);
    TinyDdpm ddpm = new TinyDdpm(Digits.PIXELS, 8, 32, DiffusionStart.linearBetas(20, 1e-2, 0.3), rng.fork("m"));
    Tensor start = Tensors.randn(rng.fork("z"), 3, Digits.PIXELS);
    assertArrayEquals(start.toDoubles(), ddpm.sample(start, 0, rng).toDoubles(), 0.0);
    assertEquals(3, ddpm.sample(start, 20, rng.fork("s")).size(0));
    double[] protos = rng.fork("protos").normal(2 * Digits.PIXELS);
    double[] rows = new double[32 * Digits.PIXELS]; // two fixed ±1 prototypes, alternating: a learnable structure
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Math.signum(protos[(i / Digits.PIXELS) % 2 * Digits.PIXELS + i % Digits.PIXELS]);
    }
    Tensor x0 = Tensors.of(DType.F32, rows, 32, Digits.PIXELS); // (32, 64)
    Rng evalNoise = rng.fork("eval");
    double before = ddpm.loss(x0, evalNoise).item();
    AdamW opt = AdamW.of(ddpm, AdamW.Hyper.defaults().withLr(2e-3).withWeightDecay(0));
    for (int s = 0; s < 30; s++) {
      opt.step(ddpm.loss(x0, rng.fork("train").fork(s)).backward());
    }
    double after = ddpm.loss(x0, evalNoise).item();
    assertTrue(after < 0.8 * before, "loss " + before + " → " + after);
  }

  @Test
  void badInputIsNamed() {
    Tensor z = Tensors.zeros(2, 3);
    var e = assertThrows(IllegalArgumentException.class, () -> DiffusionStart.noisedLatent(z, ALPHA_BARS, 101, Rng.seeded(1)));
    assertTrue(e.getMessage().contains("t* = 101") && e.getMessage().contains("[0, 100]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DiffusionStart.noisedLatent(z, 0.5, Tensors.zeros(3, 2)));
    assertTrue(e.getMessage().contains("shape"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DiffusionStart.linearBetas(10, 0.2, 0.1));
    assertTrue(e.getMessage().contains("linearBetas"), e.getMessage());
  }

  private static double correlation(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i] / a.length;
      mb += b[i] / b.length;
    }
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
