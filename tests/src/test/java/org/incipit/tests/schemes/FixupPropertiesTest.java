package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Fans;
import org.incipit.init.Fixup;
import org.incipit.init.TFixup;
import org.incipit.models.nets.ResidualMlp;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Cdf;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/**
 * Fixup (Zhang, Dauphin, Ma 2019, arXiv:1901.09321) and T-Fixup (Huang et al. 2020) constants, the
 * samples they draw and the invariants of a Fixup network at init. Sample checks use
 * {@link SampleCheck#DEFAULT_ALPHA} (false alarm 1e−6 per assertion) on pinned seeds; the constant
 * checks are exact up to 1e−12 relative (double rounding of one pow).
 */
class FixupPropertiesTest {
  private static final double ALPHA = SampleCheck.DEFAULT_ALPHA;

  @Test
  void branchScaleIsLToTheMinusOneOverTwoMMinusTwo() {
    assertEquals(1 / Math.sqrt(50), Fixup.branchScale(50, 2), 1e-15);   // BasicBlock: L^(−1/2)
    assertEquals(0.5, Fixup.branchScale(16, 3), 1e-15);                 // Bottleneck: 16^(−1/4)
    assertEquals(1.0, Fixup.branchScale(1, 2), 0);                      // one branch: no rescaling
    qt().withFixedSeed(12).withExamples(200)
        .forAll(integers().between(1, 10_000), integers().between(2, 6))
        .checkAssert((l, m) -> {
          double s = Fixup.branchScale(l, m);
          assertEquals(1.0, Math.pow(s, 2 * m - 2) * l, 1e-12, "s^(2m−2)·L = 1 for L=" + l + ", m=" + m);
          assertTrue(s > 0 && s <= 1, "0 < s ≤ 1");
        });
  }

  @Test
  void badDepthsAreRejectedByName() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Fixup.branchScale(0, 2)).getMessage().contains("fixup"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Fixup.branchScale(4, 1)).getMessage().contains("m ≥ 2"));
    assertThrows(IllegalArgumentException.class, () -> TFixup.decoderScale(0));
    assertThrows(IllegalArgumentException.class, () -> TFixup.embedding(0, 1));
  }

  @Test
  void branchWeightIsHeFanOutTimesTheFactor() {
    Shape shape = Shape.of(256, 128); // fan_out 256 ≠ fan_in 128: the official code's fan_out
    double std = Math.sqrt(2.0 / 256) * Math.pow(8, -0.5);
    double[] w = Fixup.branchWeight(8, 2).create(shape, Fans.of(shape), Rng.seeded(3)).toDoubles();
    SampleCheck.assertMean(w, 0, std, ALPHA);
    SampleCheck.assertVariance(w, std * std, SampleCheck.NORMAL_KURTOSIS, ALPHA);
    SampleCheck.assertDistribution(w, Cdf.normal(0, std), ALPHA);
  }

  @Test
  void fixupNetworkIsZeroAtInitAndItsBlocksAreIdentities() {
    int depth = 6;
    ResidualMlp net = new ResidualMlp(10, 32, depth, 5, ResidualMlp.Init.FIXUP, Rng.seeded(4));
    Map<String, Parameter> p = net.namedParameters();
    p.forEach((path, param) -> {
      double[] v = param.value().toDoubles();
      boolean zero = path.endsWith("fc2.weight") || path.startsWith("head.") || path.contains("bias");
      if (zero) {
        assertTrue(java.util.Arrays.stream(v).allMatch(x -> x == 0), path + " is zero");
      }
      if (path.endsWith("scale")) {
        assertEquals(1.0, v[0], 0, path);
      }
    });
    double std = Math.sqrt(2.0 / 32) * Math.pow(depth, -0.5);
    double[] fc1 = java.util.stream.IntStream.range(0, depth)
        .mapToObj(l -> p.get("blocks." + l + ".fc1.weight").value().toDoubles())
        .flatMapToDouble(java.util.Arrays::stream).toArray();
    SampleCheck.assertVariance(fc1, std * std, SampleCheck.NORMAL_KURTOSIS, ALPHA);
    Tensor x = Tensors.randn(Rng.seeded(5), 7, 10);
    double[] logits = net.forward(x).toDoubles();
    assertTrue(java.util.Arrays.stream(logits).allMatch(v -> v == 0), "zero classifier → zero logits");
    for (ResidualMlp.Block b : net.blocks()) {
      Tensor h = Tensors.randn(Rng.seeded(6), 3, 32);
      org.junit.jupiter.api.Assertions.assertArrayEquals(h.toDoubles(), b.forward(h).toDoubles(), 0,
          "zero last layer → identity block");
    }
  }

  @Test
  void heBaselineHasHeVarianceEverywhere() {
    ResidualMlp net = new ResidualMlp(48, 48, 4, 10, ResidualMlp.Init.HE, Rng.seeded(8));
    double[] w = net.namedParameters().get("blocks.2.fc2.weight").value().toDoubles();
    SampleCheck.assertVariance(w, 2.0 / 48, SampleCheck.NORMAL_KURTOSIS, ALPHA);
  }

  @Test
  void tFixupConstantsFollowThePaper() {
    assertEquals(Math.pow(54, -0.25), TFixup.decoderScale(6), 1e-15);
    assertEquals(0.67 * Math.pow(6, -0.25), TFixup.encoderScale(6), 1e-15);
    qt().withFixedSeed(13).withExamples(200).forAll(integers().between(1, 100_000)).checkAssert(n -> {
      assertEquals(1.0, Math.pow(TFixup.decoderScale(n), 4) * 9 * n, 1e-12, "(9N)·s⁴ = 1");
      assertEquals(Math.pow(0.67, 4), Math.pow(TFixup.encoderScale(n), 4) * n, 1e-12, "N·s⁴ = 0.67⁴");
    });
  }

  @Test
  void tFixupEmbeddingIsNormalWithStdScaleOverRootD() {
    int d = 64;
    double scale = TFixup.decoderScale(4);
    Shape shape = Shape.of(300, d);
    double[] e = TFixup.embedding(d, scale).create(shape, Fans.of(shape), Rng.seeded(9)).toDoubles();
    double std = scale / Math.sqrt(d);
    SampleCheck.assertVariance(e, std * std, SampleCheck.NORMAL_KURTOSIS, ALPHA);
    SampleCheck.assertDistribution(e, Cdf.normal(0, std), ALPHA);
  }
}
