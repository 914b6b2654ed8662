package org.incipit.nn.graph;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * Message passing and the GCN normalisation against dense matrices built from the formulas, over
 * random small directed graphs (1–7 nodes, 0–14 edges, self loops and duplicate edges allowed,
 * with and without weights), in float64.
 */
class GraphProperties {
  private static final double TOL = 1e-12;

  @Test
  void gcnNormalisationEqualsTheDenseFormula() {
    qt().withFixedSeed(20260601L).withExamples(300).forAll(Dense.RandomGraph.graphs(), longs().all())
        .checkAssert(GraphProperties::gcnNormalisationEqualsTheDenseFormula);
  }

  static void gcnNormalisationEqualsTheDenseFormula(Dense.RandomGraph r, long seed) {
    int n = r.n();
    Rng rng = Rng.seeded(seed);
    Graph a = r.graph(DType.F64).gcnNormalized(DType.F64);
    double[][] want = Dense.gcnNormalized(r);
    double[][] got = Dense.matrixOf(a);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (!(Math.abs(got[i][j] - want[i][j]) <= TOL)) {
          throw new AssertionError("Â[" + i + "][" + j + "] = " + got[i][j] + ", dense " + want[i][j] + " for " + r);
        }
      }
    }
    int[] loops = new int[n];
    for (int k = 0; k < a.numEdges(); k++) {
      loops[a.source(k)] += a.source(k) == a.target(k) ? 1 : 0;
    }
    for (int i = 0; i < n; i++) {
      if (loops[i] != 1) {
        throw new AssertionError("node " + i + " has " + loops[i] + " self loops after normalisation");
      }
    }
    Tensor x = Tensors.randn(rng.fork("x"), n, 3).cast(DType.F64);
    Dense.assertClose(Dense.mul(want, Dense.rows(x)), a.propagate(x, Aggregation.SUM), TOL, "Â·X");
  }

  @Test
  void propagateEqualsTheDenseAdjacencyProduct() {
    qt().withFixedSeed(20260602L).withExamples(300).forAll(Dense.RandomGraph.graphs(), longs().all())
        .checkAssert(GraphProperties::propagateEqualsTheDenseAdjacencyProduct);
  }

  static void propagateEqualsTheDenseAdjacencyProduct(Dense.RandomGraph r, long seed) {
    int n = r.n();
    boolean weighted = r.weighted();
    Rng rng = Rng.seeded(seed);
    Graph g = r.graph(DType.F64);
    Tensor x = Tensors.randn(rng.fork("x"), n, 2).cast(DType.F64);
    double[][] ax = Dense.mul(Dense.adjacency(r, weighted), Dense.rows(x));
    Dense.assertClose(ax, g.propagate(x, Aggregation.SUM), TOL, "A·X");
    int[] count = new int[n];
    for (int t : r.t()) {
      count[t]++;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < ax[i].length; j++) {
        ax[i][j] = count[i] == 0 ? 0 : ax[i][j] / count[i];
      }
    }
    Dense.assertClose(ax, g.propagate(x, Aggregation.MEAN), TOL, "mean");
  }
}
