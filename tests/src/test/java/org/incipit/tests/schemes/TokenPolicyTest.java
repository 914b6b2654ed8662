package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensors;
import org.incipit.models.nets.TokenPolicy;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenPolicy}, the actor of the BAI and policy-initialization studies: its sequence
 * probabilities sum to one, its samples follow its own softmax, and nll is the per-token mean of
 * −log π.
 */
class TokenPolicyTest {
  /** Every response of length ≤ maxLen: sequences ending at EOS, plus the full-length ones without it. */
  private static List<int[]> allResponses(int vocab, int maxLen) {
    List<int[]> out = new ArrayList<>();
    List<int[]> prefixes = List.of(new int[0]);
    for (int len = 1; len <= maxLen; len++) {
      List<int[]> next = new ArrayList<>();
      for (int[] p : prefixes) {
        int[] ended = java.util.Arrays.copyOf(p, len);
        ended[len - 1] = vocab - 1;
        out.add(ended);
        for (int tok = 0; tok < vocab - 1; tok++) {
          int[] q = java.util.Arrays.copyOf(p, len);
          q[len - 1] = tok;
          next.add(q);
        }
      }
      prefixes = next;
    }
    out.addAll(prefixes);
    return out;
  }

  @Test
  void sequenceProbabilitiesSumToOne() {
    // Σ over all responses of exp(log π) = 1; F32 log-probs of ≤ 3 steps are good to ~1e-6 each,
    // and there are ≤ 40 terms, so 1e-4 is a safe bound
    qt().withFixedSeed(21).withExamples(12).forAll(longs().all(), integers().between(2, 3), integers().between(1, 3))
        .checkAssert((seed, vocab, maxLen) -> {
          TokenPolicy pi = new TokenPolicy(new TokenPolicy.Config(2, vocab, maxLen, 8), Rng.seeded(seed));
          List<int[]> all = allResponses(vocab, maxLen);
          double[][] prompts = new double[all.size()][];
          for (int i = 0; i < prompts.length; i++) {
            prompts[i] = new double[] {0.5, -1};
          }
          double[] lp = pi.logProb(prompts, all.toArray(new int[0][])).toDoubles();
          double total = 0;
          for (double v : lp) {
            total += Math.exp(v);
          }
          assertEquals(1.0, total, 1e-4);
        });
  }

  @Test
  void firstTokensFollowThePolicySoftmax() {
    int n = 4000;
    TokenPolicy pi = new TokenPolicy(new TokenPolicy.Config(1, 4, 2, 8), Rng.seeded(22));
    double[][] prompts = new double[n][];
    for (int i = 0; i < n; i++) {
      prompts[i] = new double[] {1};
    }
    int[][] resp = pi.sample(prompts, Rng.seeded(23));
    double[] x = new double[1 + 2 + 4 + 1]; // prompt, position one-hot (t = 0), BOS one-hot
    x[0] = 1;
    x[1] = 1;
    x[1 + 2 + 4] = 1;
    double[] p = Functional.softmax(pi.forward(Tensors.of(DType.F32, x, 1, x.length)), 1).toDoubles();
    for (int k = 0; k < 4; k++) {
      double[] hit = new double[n];
      for (int i = 0; i < n; i++) {
        hit[i] = resp[i][0] == k ? 1 : 0;
      }
      // indicator mean against p_k with its Bernoulli std; false alarm 1e-6 per token
      SampleCheck.assertMean(hit, p[k], Math.sqrt(p[k] * (1 - p[k])), SampleCheck.DEFAULT_ALPHA);
    }
    for (int[] r : resp) {
      assertTrue(r.length >= 1 && r.length <= 2 && (r.length == 2 || r[0] == 3), "stops at EOS or maxLen");
    }
  }

  @Test
  void nllIsTheMeanTokenNegativeLogProbability() {
    TokenPolicy pi = new TokenPolicy(new TokenPolicy.Config(3, 5, 4, 8), Rng.seeded(24));
    double[][] prompts = {{1, 0, 0}, {0, 1, 1}};
    int[][] seqs = {{0, 4}, {1, 2, 3, 4}};
    double[] lp = pi.logProb(prompts, seqs).toDoubles();
    assertEquals(-(lp[0] + lp[1]) / 6, pi.nll(prompts, seqs).item(), 1e-5);
  }

  @Test
  void rejectsBadResponsesAndPromptsByName() {
    TokenPolicy pi = new TokenPolicy(new TokenPolicy.Config(2, 3, 2, 4), Rng.seeded(25));
    String m = assertThrows(IllegalArgumentException.class,
        () -> pi.logProb(new double[][] {{0, 0}}, new int[][] {{0, 0, 2}})).getMessage();
    assertTrue(m.contains("token_policy") && m.contains("1 to 2"), m);
    assertThrows(IllegalArgumentException.class, () -> pi.logProb(new double[][] {{0}}, new int[][] {{2}}));
    assertThrows(IllegalArgumentException.class, () -> new TokenPolicy.Config(0, 1, 1, 1));
  }
}
