package org.incipit.init;

import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * Constrained word2vec (CW2V): new-token rows that are trained, yet stay inside the convex hull of a
 * frozen base table, because they are parameterised as softmax weights over its rows.
 * <pre>
 * E_new = softmax_row(A₁·A₂) · E_base        A₁ (k×f), A₂ (f×n_base), both from U[0, 1); E_base frozen
 * L_SGNS = −log σ(u·v⁺) − Σ_{m=1..M} log σ(−u·v⁻_m)      (mean over the (centre, context) pairs)
 * </pre>
 * u is the centre token's row, v⁺ the context token's row, v⁻ M negatives drawn from the unigram
 * distribution to the power 0.75 ({@link #negativeDistribution}). Only A₁ and A₂ learn; since every
 * row of softmax(A₁A₂) is ≥ 0 and sums to 1, each trained row is a convex combination of E_base's
 * rows, so its logit h·e is ≤ max of the base logits for every h (see {@link VocabularyExpansion}).
 *
 * <p>Paper: N. Mundra, A. Khandavally, R. Dabre, R. Puduppully, A. Kunchukuttan, M. M. Khapra,
 * 2024, "An Empirical Comparison of Vocabulary Expansion and Initialization Approaches for
 * Language Models" (CoNLL 2024), arXiv:2407.05841; defaults from the authors' repository
 * (AI4Bharat/VocabAdaptation_LLM, branch CW2V): f = 1024, window 5, 5 negatives, unigram^0.75.
 *
 * <p>Choices: the negatives' term is the standard Σ log σ(−u·v⁻) (the reference script sums the dot
 * products before the log-sigmoid, which we read as a slip); f is a parameter (the reference's 1024
 * makes the initial softmax nearly one-hot, since (A₁A₂)ᵢⱼ has standard deviation √(7f/144) ≈ 7;
 * the study uses f = 64); centre and context rows come from one table when the model ties its
 * head, as the char-GPT does (the reference uses input rows for centres, output rows for contexts).
 *
 * <p>Held by {@code Cw2vTest} (init: rows of the weights ≥ 0 summing to 1, h·e ≤ max h·E_base, the
 * SGNS loss against a hand computation, E_base gets no gradient); studied by {@code vocab-expansion}.
 */
public final class Cw2v {
  /** The exponent of the unigram distribution of negatives. */
  public static final double NEGATIVE_POWER = 0.75;

  private Cw2v() {}

  /** {A₁ (k, f), A₂ (f, nBase)}, both U[0, 1) in F32, from {@code rng.fork("a1")} and {@code rng.fork("a2")}. */
  public static Tensor[] initialFactors(int k, int f, int nBase, Rng rng) {
    if (k < 1 || f < 1 || nBase < 1) {
      throw new IllegalArgumentException("cw2v: need k, f and n_base ≥ 1, got " + k + ", " + f + ", " + nBase);
    }
    return new Tensor[] {
      Tensors.of(DType.F32, rng.fork("a1").uniform(k * f), k, f),
      Tensors.of(DType.F32, rng.fork("a2").uniform(f * nBase), f, nBase)};
  }

  /** The convex weights softmax_row(A₁·A₂): (k, nBase), each row ≥ 0 and summing to 1. */
  public static Tensor weights(Tensor a1, Tensor a2) {
    if (a1.rank() != 2 || a2.rank() != 2 || a1.size(1) != a2.size(0)) {
      throw new IllegalArgumentException("cw2v: A₁ (k, f) and A₂ (f, n_base) do not fit: " + a1.shape() + ", "
          + a2.shape());
    }
    return Functional.softmax(a1.matmul(a2), 1); // (k, f)·(f, n) → (k, n)
  }

  /** The new rows softmax(A₁·A₂)·E_base: (k, d). */
  public static Tensor rows(Tensor a1, Tensor a2, Tensor eBase) {
    if (eBase.rank() != 2 || eBase.size(0) != a2.size(1)) {
      throw new IllegalArgumentException("cw2v: E_base must be (" + a2.size(1) + ", d) for A₂ " + a2.shape() + ", got "
          + eBase.shape());
    }
    return weights(a1, a2).matmul(eBase); // (k, n)·(n, d) → (k, d)
  }

  /**
   * The skip-gram negative-sampling loss, averaged over B pairs.
   *
   * @param centre u, (B, d)
   * @param context v⁺, (B, d)
   * @param negatives v⁻, (B, M, d)
   */
  public static Tensor sgnsLoss(Tensor centre, Tensor context, Tensor negatives) {
    if (centre.rank() != 2 || !centre.shape().equals(context.shape()) || negatives.rank() != 3
        || negatives.size(0) != centre.size(0) || negatives.size(2) != centre.size(1)) {
      throw new IllegalArgumentException("cw2v: SGNS needs centre (B, d), context (B, d), negatives (B, M, d), got "
          + centre.shape() + ", " + context.shape() + ", " + negatives.shape());
    }
    Tensor pos = centre.mul(context).sum(1);                                      // (B)
    Tensor neg = negatives.matmul(centre.unsqueeze(2)).reshape(centre.size(0), -1); // (B, M, d)·(B, d, 1) → (B, M)
    Tensor lossPos = Functional.softplus(pos.neg());                              // −log σ(x) = softplus(−x)
    Tensor lossNeg = Functional.softplus(neg).sum(1);                             // −log σ(−x) = softplus(x)
    return lossPos.add(lossNeg).mean();
  }

  /** The distribution of negatives: count_i^0.75 / Σ_j count_j^0.75 (zero for a zero count). */
  public static double[] negativeDistribution(long[] counts) {
    double[] p = new double[counts.length];
    double s = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException("cw2v: count " + i + " is negative: " + counts[i]);
      }
      p[i] = StrictMath.pow(counts[i], NEGATIVE_POWER);
      s += p[i];
    }
    if (!(s > 0)) {
      throw new IllegalArgumentException("cw2v: all " + counts.length + " counts are zero");
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= s;
    }
    return p;
  }

  /** {@code n} indices drawn from the distribution {@code p} by inverse CDF with {@code rng}'s uniforms. */
  public static long[] sample(double[] p, int n, Rng rng) {
    double[] cdf = new double[p.length];
    double acc = 0;
    for (int i = 0; i < p.length; i++) {
      acc += p[i];
      cdf[i] = acc;
    }
    double[] u = rng.uniform(n);
    long[] out = new long[n];
    for (int j = 0; j < n; j++) {
      int idx = java.util.Arrays.binarySearch(cdf, u[j] * acc);
      idx = idx >= 0 ? idx + 1 : -idx - 1;
      while (idx < p.length - 1 && p[idx] == 0) {
        idx++;
      }
      out[j] = Math.min(idx, p.length - 1);
    }
    return out;
  }
}
