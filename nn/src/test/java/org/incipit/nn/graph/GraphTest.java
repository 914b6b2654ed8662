package org.incipit.nn.graph;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

class GraphTest {
  private static final double S6 = 1 / Math.sqrt(6);

  @Test
  void pathOfThreeNodesNormalisesByHand() {
    // 0 — 1 — 2. With self loops: degrees d̃ = (2, 3, 2), so
    // Â = [[1/2, 1/√6, 0], [1/√6, 1/3, 1/√6], [0, 1/√6, 1/2]]
    Graph a = Graph.undirected(3, new int[] {0, 1}, new int[] {1, 2}, null).gcnNormalized(DType.F64);
    assertTrue(a.isGcnNormalized());
    assertSame(a, a.gcnNormalized(), "normalising twice is a no-op");
    assertArrayEquals(new long[] {0, 1, 1, 2, 0, 1, 2, 1, 0, 2, 1, 0, 1, 2}, a.edgeIndex().toLongs(),
        "the edges in order, then one self loop per node in node order");
    assertArrayEquals(new double[] {S6, S6, S6, S6, 0.5, 1.0 / 3, 0.5}, a.edgeWeight().toDoubles(), 1e-15);
    // Â·(1, 1, 1) = row sums
    Tensor ones = Tensors.full(Shape.of(3), 1.0, DType.F64, a.device());
    assertArrayEquals(new double[] {0.5 + S6, 1.0 / 3 + 2 * S6, 0.5 + S6}, a.propagate(ones, Aggregation.SUM).toDoubles(),
        1e-15);
  }

  @Test
  void weightedDirectedGraphWithAnExistingSelfLoopNormalisesByHand() {
    // 0 →(2) 1, 2 →(1) 1, and 1 →(3) 1 already a loop: PyG keeps weight 3 for it, adds 1 for 0 and 2.
    // In-degrees with loops: d̃ = (1, 2 + 1 + 3, 1) = (1, 6, 1).
    Tensor index = Tensors.ofLongs(new long[] {0, 2, 1, 1, 1, 1}, 2, 3);
    Graph g = Graph.of(index, Tensors.of(DType.F64, new double[] {2, 1, 3}, 3), 3);
    Graph loops = g.withSelfLoops(1.0);
    assertArrayEquals(new long[] {0, 2, 0, 1, 2, 1, 1, 0, 1, 2}, loops.edgeIndex().toLongs());
    assertArrayEquals(new double[] {2, 1, 1, 3, 1}, loops.edgeWeight().toDoubles(), 0.0);
    assertArrayEquals(new double[] {1, 6, 1}, loops.degree(DType.F64).toDoubles(), 0.0);
    // ŵ = w / √(d̃_s d̃_t): 2/√6, 1/√6, 1, 3/6, 1
    assertArrayEquals(new double[] {2 * S6, S6, 1, 0.5, 1}, g.gcnNormalized().edgeWeight().toDoubles(), 1e-15);
  }

  @Test
  void unweightedSelfLoopsStayUnweightedAndReplaceExistingLoops() {
    Graph g = Graph.fromEdges(3, new int[] {0, 1, 1}, new int[] {0, 0, 2}).withSelfLoops(1.0);
    assertNull(g.edgeWeight());
    assertArrayEquals(new long[] {1, 1, 0, 1, 2, 0, 2, 0, 1, 2}, g.edgeIndex().toLongs());
    Graph twice = Graph.fromEdges(2, new int[] {0}, new int[] {1}).withSelfLoops(2.0);
    assertArrayEquals(new double[] {1, 2, 2}, twice.edgeWeight().toDoubles(), 0.0, "improved GCN: A + 2I");
  }

  @Test
  void meanAggregationGivesZeroToNodesWithoutIncomingEdges() {
    // 0 → 1, 2 → 1, 1 → 2; nodes 0 and 3 receive nothing
    Graph g = Graph.fromEdges(4, new int[] {0, 2, 1}, new int[] {1, 1, 2});
    Tensor x = Tensors.of(DType.F64, new double[] {1, 10, 2, 20, 4, 40, 8, 80}, 4, 2).withGrad();
    Tensor mean = g.propagate(x, Aggregation.MEAN);
    assertArrayEquals(new double[] {0, 0, 2.5, 25, 2, 20, 0, 0}, mean.toDoubles(), 1e-15);
    assertArrayEquals(new double[] {0, 0, 5, 50, 2, 20, 0, 0}, g.propagate(x, Aggregation.SUM).toDoubles(), 1e-15);
    // d(Σ mean)/dx_j = Σ over j's out-edges of 1/|in(target)|: x0 → 1/2, x1 → 1, x2 → 1/2, x3 → 0
    assertArrayEquals(new double[] {0.5, 0.5, 1, 1, 0.5, 0.5, 0, 0}, mean.sum().backward().of(x).toDoubles(), 1e-15);
    assertArrayEquals(new int[] {0, 2, 1, 0}, g.inDegrees());
  }

  @Test
  void graphsWithoutEdgesAndOneDimensionalFeaturesWork() {
    Graph empty = Graph.fromEdges(3, new int[0], new int[0]);
    Tensor v = Tensors.of(DType.F64, new double[] {1, 2, 3}, 3);
    assertArrayEquals(new double[] {0, 0, 0}, empty.propagate(v, Aggregation.MEAN).toDoubles(), 0.0);
    // only self loops remain: Â = I
    assertArrayEquals(new double[] {1, 2, 3}, empty.gcnNormalized(DType.F64).propagate(v, Aggregation.SUM).toDoubles(), 0.0);
    assertTrue(empty.isUndirected());
  }

  @Test
  void undirectedGraphsAreSymmetricAndDirectedOnesAreNot() {
    Graph u = Graph.undirected(4, new int[] {0, 1, 2}, new int[] {1, 2, 2}, new double[] {1, 2, 5});
    assertEquals(5, u.numEdges(), "one edge per direction, one for the loop");
    assertTrue(u.isUndirected());
    assertTrue(u.gcnNormalized().isUndirected(), "Â of an undirected graph is exactly symmetric");
    assertFalse(Graph.fromEdges(2, new int[] {0}, new int[] {1}).isUndirected());
    Tensor asym = Tensors.of(DType.F32, new double[] {1, 2}, 2);
    assertFalse(Graph.fromEdges(2, new int[] {0, 1}, new int[] {1, 0}).withEdgeWeights(asym).isUndirected());
  }

  @Test
  void gcnNormalisationIsDifferentiableInTheEdgeWeights() {
    Rng rng = Rng.seeded(11);
    Dense.RandomGraph r = Dense.RandomGraph.draw(4, 7, true, rng.fork("g"));
    Graph g = Graph.fromEdges(4, r.s(), r.t());
    Tensor w = Tensors.of(DType.F64, r.w(), r.w().length);
    Tensor x = Tensors.randn(rng.fork("x"), 4, 2).cast(DType.F64);
    GradCheck.assertMatches(in -> g.withEdgeWeights(in[0]).gcnNormalized().propagate(in[1], Aggregation.SUM),
        new Tensor[] {w, x}, GradCheck.Options.float64());
  }

  @Test
  void badEdgeIndicesAreRejectedWithClearMessages() {
    var dtype = assertThrows(IllegalArgumentException.class,
        () -> Graph.of(Tensors.of(DType.F32, new double[] {0, 1}, 2, 1), 2));
    assertTrue(dtype.getMessage().contains("I64") && dtype.getMessage().contains("F32"), dtype.getMessage());
    var shape = assertThrows(IllegalArgumentException.class, () -> Graph.of(Tensors.ofLongs(new long[3], 3, 1), 2));
    assertTrue(shape.getMessage().contains("(2, E)") && shape.getMessage().contains("[3, 1]"), shape.getMessage());
    var range = assertThrows(IndexOutOfBoundsException.class,
        () -> Graph.of(Tensors.ofLongs(new long[] {0, 1, 1, 7}, 2, 2), 4));
    assertTrue(range.getMessage().contains("edge 1") && range.getMessage().contains("target node 7")
        && range.getMessage().contains("N = 4"), range.getMessage());
    var negative = assertThrows(IndexOutOfBoundsException.class, () -> Graph.fromEdges(3, new int[] {-1}, new int[] {0}));
    assertTrue(negative.getMessage().contains("source node -1"), negative.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> Graph.undirected(2, new int[] {0}, new int[] {2}, null));
    assertThrows(IllegalArgumentException.class, () -> Graph.fromEdges(-1, new int[0], new int[0]));
    assertThrows(IllegalArgumentException.class, () -> Graph.fromEdges(3, new int[] {0, 1}, new int[] {1}));
  }

  @Test
  void badWeightsAndFeaturesAreRejectedWithClearMessages() {
    Graph g = Graph.fromEdges(3, new int[] {0, 1}, new int[] {1, 2});
    var shape = assertThrows(IllegalArgumentException.class, () -> g.withEdgeWeights(Tensors.ones(3)));
    assertTrue(shape.getMessage().contains("(E) = (2)"), shape.getMessage());
    assertThrows(IllegalArgumentException.class, () -> g.withEdgeWeights(Tensors.ofLongs(new long[2], 2)));
    var nan = assertThrows(IllegalArgumentException.class,
        () -> g.withEdgeWeights(Tensors.of(DType.F32, new double[] {1, Double.NaN}, 2)));
    assertTrue(nan.getMessage().contains("edge 1"), nan.getMessage());
    var rows = assertThrows(IllegalArgumentException.class, () -> g.propagate(Tensors.ones(4, 2), Aggregation.SUM));
    assertTrue(rows.getMessage().contains("N = 3") && rows.getMessage().contains("[4, 2]"), rows.getMessage());
    assertThrows(IllegalArgumentException.class, () -> g.propagate(Tensors.ofLongs(new long[3], 3), Aggregation.SUM));
    assertThrows(IllegalArgumentException.class, () -> g.aggregate(Tensors.ones(3, 2), Aggregation.SUM));
    Graph signed = g.withEdgeWeights(Tensors.of(DType.F32, new double[] {1, -5}, 2));
    var degree = assertThrows(IllegalArgumentException.class, signed::gcnNormalized);
    assertTrue(degree.getMessage().contains("node 2") && degree.getMessage().contains("-4"), degree.getMessage());
    assertThrows(IllegalArgumentException.class, () -> g.withSelfLoops(Double.POSITIVE_INFINITY));
  }
}
