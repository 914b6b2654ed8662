package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Cw2v;
import org.incipit.models.data.BigramMerges;
import org.incipit.models.nets.FreeTensors;
import org.incipit.optim.AdamW;
import org.incipit.optim.ParamGroup;
import org.incipit.tensor.Rng;

/**
 * Trains the CW2V rows of the k new tokens of a {@link BigramMerges} text with skip-gram negative
 * sampling ({@link Cw2v}): centres are positions of new tokens in the training text, each paired
 * with one context token at a uniform offset in ±[1, window] (reflected at the text's ends) and M
 * negatives from unigram^0.75 over all V + k tokens. The table is [E_base; softmax(A₁A₂)·E_base], one
 * table for centres and contexts because the char-GPT ties its head. AdamW on A₁, A₂ only.
 *
 * <p>Choices where the paper's setting does not transfer: centres are restricted to new tokens (old
 * rows are frozen, so pairs of two old tokens carry no gradient) and frequent-token subsampling is
 * therefore left out; steps, batch and learning rate are set for seconds of CPU, not 5 epochs.
 */
public final class Cw2vTraining {
  private Cw2vTraining() {}

  /** f, steps, pairs per step, window, negatives per pair, AdamW learning rate and weight decay. */
  public record Settings(int f, int steps, int batch, int window, int negatives, double lr, double weightDecay) {}

  /** The trained rows (k, d) and the SGNS loss of each step. */
  public record Result(Tensor rows, double[] losses) {}

  public static Result train(Tensor eBase, BigramMerges merges, Settings s, Rng rng) {
    int n = merges.baseVocab();
    int k = merges.merges();
    int[] text = merges.trainTokens();
    List<Integer> centres = new ArrayList<>();
    for (int i = 0; i < text.length; i++) {
      if (text[i] >= n) {
        centres.add(i);
      }
    }
    if (centres.isEmpty()) {
      throw new IllegalArgumentException("cw2v: no new token occurs in the training text");
    }
    double[] negative = Cw2v.negativeDistribution(merges.trainCounts());
    Tensor[] a = Cw2v.initialFactors(k, s.f(), n, rng.fork("factors"));
    FreeTensors factors = new FreeTensors(Map.of("a1", a[0], "a2", a[1]));
    AdamW opt = new AdamW(List.of(ParamGroup.of(factors, AdamW.Hyper.defaults().withLr(s.lr())
        .withWeightDecay(s.weightDecay()))));
    Tensor base = eBase.detach();
    double[] losses = new double[s.steps()];
    for (int t = 0; t < s.steps(); t++) {
      Rng r = rng.fork("step").fork(t);
      long[][] pairs = pairs(text, centres, s, r);
      Tensor table = Tensors.cat(0, base, Cw2v.rows(factors.get("a1"), factors.get("a2"), base)); // (n + k, d)
      Tensor u = table.indexSelect(0, Tensors.ofLongs(pairs[0], s.batch()));                    // (B, d)
      Tensor v = table.indexSelect(0, Tensors.ofLongs(pairs[1], s.batch()));                    // (B, d)
      long[] negIds = Cw2v.sample(negative, s.batch() * s.negatives(), r.fork("negatives"));
      Tensor neg = table.indexSelect(0, Tensors.ofLongs(negIds, negIds.length))
          .reshape(s.batch(), s.negatives(), -1);                                               // (B, M, d)
      Tensor loss = Cw2v.sgnsLoss(u, v, neg);
      Gradients g = loss.backward();
      opt.step(g);
      losses[t] = loss.item();
    }
    try (NoGrad ignored = NoGrad.enter()) {
      return new Result(Cw2v.rows(factors.get("a1"), factors.get("a2"), base).detach(), losses);
    }
  }

  /** {centre ids, context ids} of B pairs. */
  private static long[][] pairs(int[] text, List<Integer> centres, Settings s, Rng r) {
    long[] pick = r.fork("centres").integers(s.batch(), centres.size());
    long[] offset = r.fork("offsets").integers(s.batch(), 2L * s.window());
    long[] c = new long[s.batch()];
    long[] o = new long[s.batch()];
    for (int b = 0; b < s.batch(); b++) {
      int pos = centres.get((int) pick[b]);
      int off = (int) offset[b] < s.window() ? (int) offset[b] - s.window() : (int) offset[b] - s.window() + 1;
      int ctx = pos + off;
      if (ctx < 0 || ctx >= text.length) {
        ctx = pos - off; // reflect at the ends of the text
      }
      c[b] = text[pos];
      o[b] = text[ctx];
    }
    return new long[][] {c, o};
  }
}
