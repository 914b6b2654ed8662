package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.Arrays;
import java.util.List;
import org.incipit.autograd.Tensors;
import org.incipit.init.PreCrop;
import org.incipit.models.nets.ChannelCnn;
import org.incipit.nn.prune.Pruning;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link PreCrop} (Cai et al. 2022, arXiv:2203.02549): the water-filling densities solve the
 * convex program (budget met, KKT: equal kept parameters in every non-dense layer, dense layers
 * cheaper than that level); realisable densities give back their widths; the cropped chain meets
 * the budget within one channel of rounding per width; a cropped {@link ChannelCnn} is a valid net.
 */
class PreCropProperties {
  /** Chains of 2–5 layers, widths 1–40, units 1–9 (positions 1: only parameters are counted here). */
  private static Gen<PreCrop.Chain> chains() {
    return lists().of(integers().between(1, 40)).ofSizeBetween(6, 12).map(v -> {
      int layers = Math.max(2, Math.min(5, v.size() / 2 - 1));
      int[] widths = new int[layers + 1];
      int[] unit = new int[layers];
      for (int i = 0; i <= layers; i++) {
        widths[i] = v.get(i);
      }
      for (int l = 0; l < layers; l++) {
        unit[l] = 1 + v.get(layers + 1 + l) % 9;
      }
      int[] positions = new int[layers];
      Arrays.fill(positions, 1);
      return new PreCrop.Chain(widths, unit, positions);
    });
  }

  @Test
  void waterFillingMeetsTheBudgetAndItsOptimalityConditions() {
    Gen<List<Integer>> costs = lists().of(integers().between(1, 100_000)).ofSizeBetween(1, 8);
    qt().withFixedSeed(2203L).withExamples(300).forAll(costs, doubles().between(0.01, 1.0)).checkAssert((c, f) -> {
      double[] n = c.stream().mapToDouble(Integer::doubleValue).toArray();
      double budget = f * Arrays.stream(n).sum();
      double[] d = PreCrop.densities(n, budget);
      double kept = 0;
      double level = -1; // the common kept count λ of the non-dense layers
      for (int l = 0; l < n.length; l++) {
        assertTrue(d[l] > 0 && d[l] <= 1, "density " + d[l]);
        kept += d[l] * n[l];
        if (d[l] < 1) {
          if (level < 0) {
            level = d[l] * n[l];
          }
          assertEquals(level, d[l] * n[l], 1e-9 * level, "non-dense layers keep equal counts");
        }
      }
      assertEquals(budget, kept, 1e-9 * budget, "budget");
      for (int l = 0; l < n.length; l++) {
        if (d[l] == 1 && level > 0) {
          assertTrue(n[l] <= level * (1 + 1e-9), "a dense layer costs more than the water level");
        }
      }
    });
  }

  /** Densities d_l = k_{l−1}·k_l from integer widths are realisable: crop gives back those widths. */
  @Test
  void realisableDensitiesGiveBackTheirWidths() {
    qt().withFixedSeed(11L).withExamples(200).forAll(chains(), integers().between(0, 1000)).checkAssert((chain, r) -> {
      int[] w = chain.widths();
      int[] target = w.clone();
      for (int j = 1; j + 1 < w.length; j++) {
        target[j] = 1 + (r * (j + 7)) % w[j]; // some width in 1..C_j
      }
      double[] d = new double[chain.layers()];
      for (int l = 0; l < d.length; l++) {
        d[l] = (double) target[l] * target[l + 1] / ((double) w[l] * w[l + 1]);
      }
      double budget = chain.withWidths(target).totalParams();
      assertArrayEquals(target, PreCrop.crop(chain, d, budget), Arrays.toString(w) + " → " + Arrays.toString(target));
    });
  }

  /** With each hidden width one channel lower the count is ≤ B, one channel higher it is ≥ B. */
  @Test
  void theCroppedChainMeetsTheBudgetWithinRounding() {
    qt().withFixedSeed(5L).withExamples(300).forAll(chains(), doubles().between(0.02, 1.0)).checkAssert((chain, f) -> {
      double budget = f * chain.totalParams();
      double[] d = PreCrop.densities(chain.params(), budget);
      int[] w = PreCrop.crop(chain, d, budget);
      int[] lower = w.clone();
      int[] upper = w.clone();
      for (int j = 1; j + 1 < w.length; j++) {
        assertTrue(w[j] >= 1 && w[j] <= chain.widths()[j], "width " + j + " = " + w[j]);
        lower[j] = w[j] - 1;
        upper[j] = w[j] + 1;
      }
      assertEquals(chain.widths()[0], w[0]);
      assertEquals(chain.widths()[w.length - 1], w[w.length - 1]);
      assertTrue(params(chain, lower) <= budget * (1 + 1e-9), "rounded down: " + params(chain, lower) + " > " + budget);
      assertTrue(params(chain, upper) >= budget * (1 - 1e-9), "rounded up: " + params(chain, upper) + " < " + budget);
    });
  }

  /** Σ_l C_{l−1}·C_l·u_l, widths of 0 allowed (a bound only). */
  private static double params(PreCrop.Chain chain, int[] w) {
    double p = 0;
    for (int l = 0; l < chain.layers(); l++) {
      p += (double) w[l] * w[l + 1] * chain.unit()[l];
    }
    return p;
  }

  @Test
  void aCroppedCnnIsAValidSmallerNetwork() {
    ChannelCnn full = new ChannelCnn(new int[] {16, 32, 32}, 10, Rng.seeded(0));
    PreCrop.Chain chain = full.chain();
    double weights = Pruning.weights(full).values().stream().mapToInt(p -> p.shape().numel()).sum();
    assertEquals(chain.totalParams(), weights, 0.0, "the chain counts the net's weights");
    double budget = 0.25 * chain.totalParams();
    int[] w = PreCrop.crop(chain, PreCrop.densities(chain.params(), budget), budget);
    ChannelCnn small = new ChannelCnn(new int[] {w[1], w[2], w[3]}, 10, Rng.seeded(1));
    assertEquals(Shape.of(2, 10), small.forward(Tensors.zeros(2, 1, 8, 8)).shape());
    double kept = Pruning.weights(small).values().stream().mapToInt(p -> p.shape().numel()).sum();
    assertEquals(small.chain().totalParams(), kept, 0.0);
    assertTrue(Math.abs(kept - budget) < 0.1 * budget, "cropped weights " + kept + " vs budget " + budget);
  }

  @Test
  void badInputsAreRejectedByName() {
    assertThrows(IllegalArgumentException.class, () -> PreCrop.densities(new double[] {10, 0}, 5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PreCrop.densities(new double[] {10, 20}, 31));
    assertTrue(e.getMessage().contains("PreCrop"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PreCrop.Chain(new int[] {1, 2}, new int[] {1, 1}, new int[] {1}));
  }
}
