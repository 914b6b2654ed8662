package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.incipit.autograd.Tensors;
import org.incipit.init.TFixup;
import org.incipit.models.nets.CharGpt;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/**
 * {@link CharGpt.Init#T_FIXUP} on a LayerNorm-free char-GPT: which parameters are scaled by
 * (9M)^(−1/4), which keep plain Xavier, and the embedding tables. Uniform samples use
 * {@link SampleCheck#UNIFORM_KURTOSIS}; α = 1e−6 per assertion on pinned seeds.
 */
class TFixupCharGptTest {
  private static final double ALPHA = SampleCheck.DEFAULT_ALPHA;
  private static final int D = 48;
  private static final int M = 3;

  private static Map<String, Parameter> params() {
    CharGpt gpt = new CharGpt(new CharGpt.Config(40, 16, M, D, 4), CharGpt.Init.T_FIXUP, false, Rng.seeded(21));
    return gpt.namedParameters();
  }

  private static double[] all(Map<String, Parameter> p, String suffix) {
    return p.entrySet().stream().filter(e -> e.getKey().endsWith(suffix))
        .flatMapToDouble(e -> Arrays.stream(e.getValue().value().toDoubles())).toArray();
  }

  @Test
  void withoutLayerNormThereAreNoNormParameters() {
    assertFalse(params().keySet().stream().anyMatch(k -> k.contains("ln")), "no ln1, ln2, ln_f");
    CharGpt withLn = new CharGpt(new CharGpt.Config(40, 16, M, D, 4), CharGpt.Init.GPT2, Rng.seeded(21));
    assertTrue(withLn.namedParameters().containsKey("ln_f.weight"), "the default keeps LayerNorm");
  }

  @Test
  void valueOutputAndMlpAreScaledQueryAndKeyAreNot() {
    Map<String, Parameter> p = params();
    double s2 = Math.pow(TFixup.decoderScale(M), 2);
    double xavierSquare = 2.0 / (D + D);         // Var of U(±√(6/(fi+fo)))
    double xavierMlp = 2.0 / (D + 4 * D);
    double k = SampleCheck.UNIFORM_KURTOSIS;
    SampleCheck.assertVariance(all(p, "attn.wv.weight"), xavierSquare * s2, k, ALPHA);
    SampleCheck.assertVariance(all(p, "attn.wo.weight"), xavierSquare * s2, k, ALPHA);
    SampleCheck.assertVariance(all(p, "mlp.fc.weight"), xavierMlp * s2, k, ALPHA);
    SampleCheck.assertVariance(all(p, "mlp.proj.weight"), xavierMlp * s2, k, ALPHA);
    SampleCheck.assertVariance(all(p, "attn.wq.weight"), xavierSquare, k, ALPHA);
    SampleCheck.assertVariance(all(p, "attn.wk.weight"), xavierSquare, k, ALPHA);
    double bound = Math.sqrt(6.0 / (2 * D)) * TFixup.decoderScale(M);
    SampleCheck.assertWithin(all(p, "attn.wv.weight"), -bound, bound);
    assertTrue(Arrays.stream(all(p, ".bias")).allMatch(v -> v == 0), "biases 0");
  }

  @Test
  void embeddingsAreNormalWithStdScaleOverRootD() {
    Map<String, Parameter> p = params();
    double std = TFixup.decoderScale(M) / Math.sqrt(D);
    SampleCheck.assertVariance(all(p, "wte.weight"), std * std, SampleCheck.NORMAL_KURTOSIS, ALPHA);
    SampleCheck.assertVariance(all(p, "wpe.weight"), std * std, SampleCheck.NORMAL_KURTOSIS, ALPHA);
  }

  @Test
  void theModelWithoutLayerNormRuns() {
    CharGpt gpt = new CharGpt(new CharGpt.Config(40, 16, M, D, 4), CharGpt.Init.T_FIXUP, false, Rng.seeded(2));
    double loss = gpt.loss(Tensors.ofLongs(new long[] {1, 2, 3, 4, 5, 6}, 1, 6),
        Tensors.ofLongs(new long[] {2, 3, 4, 5, 6, 7}, 1, 6)).item();
    assertEquals(Math.log(40), loss, 0.1, "tiny tied logits at init → loss ≈ ln V");
  }
}
