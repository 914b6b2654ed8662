package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.nn.graph.Graph;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

class StochasticBlockModelTest {
  private static final StochasticBlockModel.Config C = new StochasticBlockModel.Config(5, 40, 0.3, 0.02, 0.5, 0.6, 0.2);

  /**
   * Within-block pairs: 5·C(40, 2) = 3 900, edges ~ Binomial(3 900, 0.3): mean 1 170, σ 28.6.
   * Between-block pairs: C(5, 2)·40² = 16 000, edges ~ Binomial(16 000, 0.02): mean 320, σ 17.7.
   * Each count must lie within 5σ of its mean, for every one of three seeds.
   */
  @Test
  void edgeCountsMatchTheirBinomialDistributions() {
    for (long seed = 1; seed <= 3; seed++) {
      Graph g = StochasticBlockModel.generate(C, Rng.seeded(seed)).data().graph();
      assertTrue(g.isUndirected());
      int within = 0;
      int between = 0;
      for (int e = 0; e < g.numEdges(); e++) {
        int u = g.source(e);
        int v = g.target(e);
        assertNotEquals(u, v, "no self loops");
        if (u < v) { // each undirected edge once
          if (u / 40 == v / 40) {
            within++;
          } else {
            between++;
          }
        }
      }
      assertEquals(3900 * 0.3, within, 5 * Math.sqrt(3900 * 0.3 * 0.7), "within-block edges, seed " + seed);
      assertEquals(16000 * 0.02, between, 5 * Math.sqrt(16000 * 0.02 * 0.98), "between-block edges, seed " + seed);
    }
  }

  /** x_i = e_b + σz: per block, the mean of the own-block feature is 1 and of the others 0, each ± 5σ/√40. */
  @Test
  void featuresAreNoisyOneHotBlocksAndLabelsAreTheBlocks() {
    NodeData d = StochasticBlockModel.generate(C, Rng.seeded(4)).data();
    assertEquals(5, d.classes());
    assertArrayEquals(new int[] {40, 40, 40, 40, 40}, d.nodes().classCounts());
    long[] y = d.labels().toLongs();
    double[] x = d.features().toDoubles();
    double[][] mean = new double[5][5];
    double sq = 0;
    for (int i = 0; i < 200; i++) {
      assertEquals(i / 40, y[i]);
      for (int j = 0; j < 5; j++) {
        mean[i / 40][j] += x[i * 5 + j] / 40;
        double noise = x[i * 5 + j] - (j == y[i] ? 1 : 0);
        sq += noise * noise / 1000;
      }
    }
    for (int b = 0; b < 5; b++) {
      for (int j = 0; j < 5; j++) {
        assertEquals(b == j ? 1.0 : 0.0, mean[b][j], 5 * 0.5 / Math.sqrt(40), "block " + b + " feature " + j);
      }
    }
    // sample variance of 1 000 N(0, σ²) values: relative standard error √(2/1000) ≈ 4.5 %
    assertEquals(0.25, sq, 0.25 * 5 * Math.sqrt(2.0 / 1000));
  }

  @Test
  void theSeedFixesGraphFeaturesAndSplit() {
    var a = StochasticBlockModel.generate(C, Rng.seeded(5));
    var b = StochasticBlockModel.generate(C, Rng.seeded(5));
    var other = StochasticBlockModel.generate(C, Rng.seeded(6));
    assertArrayEquals(a.data().graph().edgeIndex().toLongs(), b.data().graph().edgeIndex().toLongs());
    assertArrayEquals(a.data().features().toDoubles(), b.data().features().toDoubles(), 0.0);
    assertEquals(a.split(), b.split());
    assertNotEquals(a.data().graph().numEdges(), other.data().graph().numEdges());
    assertNotEquals(a.split(), other.split());
  }

  @Test
  void theSplitIsDisjointCoversEveryNodeAndHasTheStatedSizes() {
    NodeSplit s = StochasticBlockModel.generate(C, Rng.seeded(7)).split();
    assertEquals(120, s.train().length);
    assertEquals(40, s.validation().length);
    assertEquals(40, s.test().length);
    boolean[] seen = new boolean[200];
    for (int[] set : new int[][] {s.train(), s.validation(), s.test()}) {
      for (int v : set) {
        assertFalse(seen[v]);
        seen[v] = true;
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new NodeSplit(new int[] {1, 2}, new int[] {2}, new int[0]));
    assertThrows(IllegalArgumentException.class, () -> NodeSplit.random(10, 0.8, 0.3, Rng.seeded(1)));
  }

  @Test
  void badConfigurationsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new StochasticBlockModel.Config(0, 10, 0.1, 0.1, 1, 0.5, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new StochasticBlockModel.Config(2, 10, 1.5, 0.1, 1, 0.5, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new StochasticBlockModel.Config(2, 10, 0.1, -0.1, 1, 0.5, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new StochasticBlockModel.Config(2, 10, 0.1, 0.1, -1, 0.5, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new StochasticBlockModel.Config(2, 10, 0.1, 0.1, 1, 0.9, 0.2));
    assertEquals(0, StochasticBlockModel.generate(new StochasticBlockModel.Config(2, 10, 0.1, 0.1, 1, 0.7, 0.3),
        Rng.seeded(1)).split().test().length, "0.7 + 0.3 leaves no test nodes, rounding aside");
  }
}
