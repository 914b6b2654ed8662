package org.incipit.nn.graph;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * Message passing and the GCN normalisation against dense matrices built from the formulas, over
 * random small directed graphs (1–7 nodes, 0–14 edges, self loops and duplicate edges allowed,
 * with and without weights), in float64.
 */
class GraphProperties {
  private static final double TOL = 1e-12;

  @Property(tries = 300, seed = "20260601")
  void gcnNormalisationEqualsTheDenseFormula(@ForAll @IntRange(min = 1, max = 7) int n,
                                              @ForAll @IntRange(min = 0, max = 14) int e,
                                              @ForAll boolean weighted, @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    Dense.RandomGraph r = Dense.RandomGraph.draw(n, e, weighted, rng.fork("graph"));
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

  @Property(tries = 300, seed = "20260602")
  void propagateEqualsTheDenseAdjacencyProduct(@ForAll @IntRange(min = 1, max = 7) int n,
                                                @ForAll @IntRange(min = 0, max = 14) int e,
                                                @ForAll boolean weighted, @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    Dense.RandomGraph r = Dense.RandomGraph.draw(n, e, weighted, rng.fork("graph"));
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
