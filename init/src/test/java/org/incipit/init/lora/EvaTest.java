package org.incipit.init.lora;

import static org.incipit.init.linalg.Mats.assertClose;
import static org.incipit.init.linalg.Mats.assertOrthonormalColumns;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.init.linalg.Dense;
import org.incipit.init.linalg.Mats;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link IncrementalPca} and {@link Eva}: the incremental PCA over batches equals the batch PCA of
 * all rows (an eigendecomposition of the centred covariance, via the SVD of that symmetric matrix)
 * when nothing is discarded, as projections AᵀA so signs do not matter, with ratios summing to 1;
 * the rank allocation sums to the budget, is greedy (every kept ratio ≥ every dropped one), never
 * exceeds round(ρ·r_ℓ), and with ρ = 1 gives every layer its r; τ = 0 stops after the second
 * batch; a steep input spectrum draws rank from a flat one. Tolerance 1e−9 (double, several SVDs).
 */
class EvaTest {
  @Test
  void incrementalPcaEqualsBatchPca() {
    qt().withFixedSeed(41).withExamples(40).forAll(integers().between(1, 6), integers().between(2, 5), integers().all())
        .checkAssert((n, batches, seed) -> {
          Rng rng = Rng.seeded(seed);
          int rows = 3 + n;
          double[][] all = new double[batches * rows][];
          IncrementalPca pca = new IncrementalPca(n, n);
          for (int b = 0; b < batches; b++) {
            double[][] x = Mats.randn(rows, n, rng.fork(b));
            for (double[] row : x) {
              row[0] += 3 * b; // the mean drifts between batches
            }
            pca.update(x);
            System.arraycopy(x, 0, all, b * rows, rows);
          }
          double[] mean = new double[n];
          for (double[] row : all) {
            for (int j = 0; j < n; j++) {
              mean[j] += row[j] / all.length;
            }
          }
          double[][] centred = new double[all.length][n];
          for (int i = 0; i < all.length; i++) {
            for (int j = 0; j < n; j++) {
              centred[i][j] = all[i][j] - mean[j];
            }
          }
          Dense.Svd eig = Dense.svd(Dense.mul(Dense.transpose(centred), centred)); // eigenvectors of the scatter matrix
          double[][] a = pca.components();
          for (int k = 1; k <= n; k++) {
            double[][] ak = Arrays.copyOf(a, k);
            double[][] vk = Dense.columns(eig.v(), 0, k, null);
            if (k == n || eig.s()[k - 1] - eig.s()[k] > 1e-6 * eig.s()[0]) { // projections are defined at a gap
              assertClose(Dense.mul(Dense.transpose(ak), ak), Dense.mul(vk, Dense.transpose(vk)), 1e-9, "top-" + k + " projection");
            }
          }
          assertOrthonormalColumns(Dense.transpose(a), 1e-12, "AAᵀ = I");
          assertEquals(1.0, Arrays.stream(pca.explainedVarianceRatio()).sum(), 1e-10, "all components explain everything");
          assertArrayEquals(mean, pca.mean(), 1e-12);
        });
  }

  @Test
  void allocationIsGreedyAndSumsToTheBudget() {
    qt().withFixedSeed(42).withExamples(100).forAll(integers().between(1, 5), doubles().between(1, 3), integers().all())
        .checkAssert((layers, rho, seed) -> {
          Rng rng = Rng.seeded(seed);
          int[] ranks = new int[layers];
          double[][] evr = new double[layers][];
          for (int l = 0; l < layers; l++) {
            ranks[l] = 1 + (int) rng.fork(l).integers(1, 4)[0];
            evr[l] = Arrays.stream(rng.fork("e").fork(l).uniform((int) Math.round(rho * ranks[l]))).map(v -> -v).sorted()
                .map(v -> -v).toArray();
          }
          int[] got = Eva.allocate(evr, ranks, rho);
          assertEquals(Arrays.stream(ranks).sum(), Arrays.stream(got).sum(), "Σ rank_ℓ = budget");
          double minKept = Double.POSITIVE_INFINITY;
          double maxDropped = Double.NEGATIVE_INFINITY;
          for (int l = 0; l < layers; l++) {
            assertTrue(got[l] <= Math.round(rho * ranks[l]), "rank_ℓ ≤ round(ρ r_ℓ)");
            for (int i = 0; i < evr[l].length; i++) {
              if (i < got[l]) {
                minKept = Math.min(minKept, evr[l][i]);
              } else {
                maxDropped = Math.max(maxDropped, evr[l][i]);
              }
            }
          }
          assertTrue(minKept >= maxDropped, "greedy: kept " + minKept + " ≥ dropped " + maxDropped);
          if (Arrays.stream(ranks).allMatch(r -> Math.round(rho * r) == r)) {
            assertArrayEquals(ranks, got, "ρ·r_ℓ rounds to r_ℓ (ρ = 1): every layer keeps r_ℓ");
          }
          assertArrayEquals(ranks, Eva.allocate(evr, ranks, 1.0), "ρ = 1: every layer keeps r_ℓ");
        });
  }

  @Test
  void tauZeroStopsAfterTheSecondBatchAndASteepSpectrumDrawsRank() {
    Rng rng = Rng.seeded(9);
    double[] steep = {4, 4, 4, 0.3, 0.3, 0.3, 0.3, 0.3}; // three strong directions
    Map<String, Integer> ranks = new LinkedHashMap<>();
    ranks.put("steep", 2);
    ranks.put("flat", 2);
    Eva.Result res = Eva.fit(ranks, new int[] {8, 8}, 2.0, 0.0, false, 50, t -> {
      Map<String, double[][]> in = new LinkedHashMap<>();
      double[][] z = Mats.randn(32, 8, rng.fork("s").fork(t));
      for (double[] row : z) {
        for (int j = 0; j < 8; j++) {
          row[j] *= steep[j];
        }
      }
      in.put("steep", z);
      in.put("flat", Mats.randn(32, 8, rng.fork("f").fork(t)));
      return in;
    });
    assertEquals(2, res.batches(), "τ = 0: every component counts as converged at the first comparison");
    assertTrue(res.ranks().get("steep") > res.ranks().get("flat"), "rank moves to the anisotropic layer: " + res.ranks());
    assertEquals(4, res.ranks().values().stream().mapToInt(Integer::intValue).sum());
    assertOrthonormalColumns(Dense.transpose(res.a().get("steep")), 1e-12, "AAᵀ = I (not whitened)");
  }
}
