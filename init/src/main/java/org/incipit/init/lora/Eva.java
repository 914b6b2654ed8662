package org.incipit.init.lora;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * EVA, Explained Variance Adaptation (Paischer, Hauzenberger, Schmied, Alkin, Deisenroth,
 * Hochreiter 2024, "One Initialization to Rule them All: Fine-tuning via Explained Variance
 * Adaptation", arXiv:2410.07170): A = the top principal directions of each adapted layer's inputs,
 * B = 0, and the rank budget moved greedily to the layers whose inputs have the most explained
 * variance.
 * <pre>
 * per layer ℓ:  incremental PCA of its inputs, k_ℓ = round(ρ·r_ℓ) components kept
 * after each batch:  pool the EVR of all layers, keep the Σ_ℓ r_ℓ largest → rank_ℓ = how many are ℓ's
 * a layer stops once its first rank_ℓ components all have |cos(now, before)| ≥ τ; resumes if rank_ℓ grows
 * init:  A_ℓ = components[:rank_ℓ] (whitened: row i / √S_i),  B_ℓ = 0,  α_ℓ = α·rank_ℓ/r (s kept)
 * </pre>
 * Read from PEFT's {@code tuners/lora/eva.py} (commit 5d602fd) and the ml-jku/EVA repository.
 * Defaults ρ = 2, τ = 0.99. Choices: exact SVD in each update (PEFT: randomized, q = 2k); the
 * cosine is taken in absolute value so a sign flip between batches does not count as movement
 * (PEFT fixes signs first, so this differs only when the largest entry ties); ties in the pooled
 * ratios go to the earlier layer. Held by {@code EvaTest} (ranks sum to the budget, greedy order,
 * ρ = 1 keeps every rank, τ = 0 stops after the second batch, AAᵀ = I, BA = 0) and the
 * {@code eva_pca} / {@code eva_ranks} fixture cases.
 */
public final class Eva {
  private Eva() {}

  /** Per layer: the kept components (rank_ℓ rows of A) and the rank. */
  public record Result(Map<String, double[][]> a, Map<String, Integer> ranks, int batches) {}

  /**
   * Greedy rank allocation: the layers' shares of the Σ r_ℓ largest pooled ratios. {@code evr[ℓ]}
   * holds layer ℓ's ratios in decreasing order; only its first round(ρ·r_ℓ) take part.
   */
  public static int[] allocate(double[][] evr, int[] ranks, double rho) {
    if (rho < 1) {
      throw new IllegalArgumentException("eva: rho must be ≥ 1, got " + rho);
    }
    if (evr.length != ranks.length) {
      throw new IllegalArgumentException("eva: " + evr.length + " layers of ratios but " + ranks.length + " ranks");
    }
    int budget = 0;
    List<double[]> pool = new ArrayList<>(); // {ratio, layer, index}
    for (int l = 0; l < ranks.length; l++) {
      budget += ranks[l];
      int k = Math.min(evr[l].length, (int) Math.round(rho * ranks[l]));
      for (int i = 0; i < k; i++) {
        pool.add(new double[] {evr[l][i], l, i});
      }
    }
    pool.sort((x, y) -> x[0] != y[0] ? Double.compare(y[0], x[0])
        : x[1] != y[1] ? Double.compare(x[1], y[1]) : Double.compare(x[2], y[2]));
    int[] out = new int[ranks.length];
    for (int i = 0; i < Math.min(budget, pool.size()); i++) {
      out[(int) pool.get(i)[1]]++;
    }
    return out;
  }

  /**
   * Runs EVA over batches: {@code batch.apply(t)} gives each layer's inputs (rows are samples) for
   * batch t, cycling as the caller likes, until every layer has converged or {@code maxBatches}.
   */
  public static Result fit(Map<String, Integer> ranks, int[] features, double rho, double tau, boolean whiten,
                           int maxBatches, IntFunction<Map<String, double[][]>> batch) {
    List<String> layers = new ArrayList<>(ranks.keySet());
    int[] r = layers.stream().mapToInt(ranks::get).toArray();
    Map<String, IncrementalPca> pca = new LinkedHashMap<>();
    for (int l = 0; l < layers.size(); l++) {
      int k = Math.min(features[l], (int) Math.round(rho * r[l]));
      pca.put(layers.get(l), new IncrementalPca(features[l], k));
    }
    int[] alloc = r.clone();
    boolean[] done = new boolean[layers.size()];
    int t = 0;
    while (t < maxBatches && !allTrue(done)) {
      Map<String, double[][]> inputs = batch.apply(t++);
      for (int l = 0; l < layers.size(); l++) {
        if (!done[l]) {
          pca.get(layers.get(l)).update(inputs.get(layers.get(l)));
        }
      }
      if (pca.values().stream().anyMatch(p -> p.components() == null)) {
        continue;
      }
      double[][] evr = new double[layers.size()][];
      for (int l = 0; l < layers.size(); l++) {
        evr[l] = pca.get(layers.get(l)).explainedVarianceRatio();
      }
      alloc = allocate(evr, r, rho);
      for (int l = 0; l < layers.size(); l++) {
        double[] cos = pca.get(layers.get(l)).cosineToPrevious();
        boolean converged = pca.get(layers.get(l)).hasPrevious() && cos.length >= alloc[l];
        for (int i = 0; i < Math.min(alloc[l], cos.length); i++) {
          converged &= cos[i] >= tau;
        }
        done[l] = converged;
      }
    }
    return result(layers, pca, alloc, whiten, t);
  }

  private static Result result(List<String> layers, Map<String, IncrementalPca> pca, int[] alloc, boolean whiten, int t) {
    Map<String, double[][]> a = new LinkedHashMap<>();
    Map<String, Integer> ranks = new LinkedHashMap<>();
    for (int l = 0; l < layers.size(); l++) {
      IncrementalPca p = pca.get(layers.get(l));
      double[][] comps = p.components();
      double[][] rows = Arrays.copyOf(comps == null ? new double[0][] : comps, alloc[l]);
      if (whiten) {
        double[] sv = p.singularValues();
        for (int i = 0; i < rows.length; i++) {
          double f = 1 / Math.sqrt(sv[i]);
          rows[i] = Arrays.stream(rows[i]).map(v -> v * f).toArray();
        }
      }
      a.put(layers.get(l), rows);
      ranks.put(layers.get(l), alloc[l]);
    }
    return new Result(a, ranks, t);
  }

  private static boolean allTrue(boolean[] b) {
    for (boolean x : b) {
      if (!x) {
        return false;
      }
    }
    return true;
  }
}
