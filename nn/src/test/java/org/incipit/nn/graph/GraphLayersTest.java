package org.incipit.nn.graph;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Initializers;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

class GraphLayersTest {
  /** 5 nodes, a weighted directed graph with a duplicate edge, a self loop and node 4 isolated. */
  private static Graph graph() {
    Graph g = Graph.fromEdges(5, new int[] {0, 1, 2, 3, 1, 2, 2}, new int[] {1, 2, 0, 0, 2, 2, 3});
    return g.withEdgeWeights(Tensors.of(DType.F64, new double[] {0.5, 1.5, 1, 2, 0.7, 1.2, 0.3}, 7));
  }

  /** Gradcheck in float64 with respect to the input and every trainable parameter. */
  private static void gradcheck(GraphLayer layer, Graph g, Tensor x) {
    org.incipit.nn.ModuleGradCheck.assertMatches(layer, x, in -> layer.forward(in, g), GradCheck.Options.float64());
  }

  @Test
  void everyGraphLayerPassesGradcheckInFloat64() {
    Rng rng = Rng.seeded(21);
    Tensor x = Tensors.randn(rng.fork("x"), 5, 3);
    GCNConv gcn = new GCNConv(3, 2, rng.fork("gcn"));
    gcn.bias().assign(Tensors.randn(rng.fork("b"), 2));
    gradcheck(gcn, graph(), x);
    gradcheck(new SAGEConv(3, 2, rng.fork("sage")), graph(), x);
    gradcheck(GINConv.trainableEps(new int[] {3, 4, 2}, 0.25, rng.fork("gin")), graph(), x);
    gradcheck(new GINConv(new int[] {3, 2, 3, 2}, rng.fork("gin3")), graph(), x);
  }

  @Test
  void parameterPathsFollowPyTorchGeometric() {
    Rng rng = Rng.seeded(22);
    assertEquals(List.of("bias", "lin.weight"), List.copyOf(new GCNConv(4, 3, rng).namedParameters().keySet()));
    assertEquals(List.of("lin_l.weight", "lin_l.bias", "lin_r.weight"),
        List.copyOf(new SAGEConv(4, 3, rng).namedParameters().keySet()));
    assertEquals(List.of("mlp.0.weight", "mlp.0.bias", "mlp.1.weight", "mlp.1.bias"),
        List.copyOf(new GINConv(new int[] {4, 8, 3}, rng).namedParameters().keySet()));
    GINConv trainable = GINConv.trainableEps(new int[] {4, 8, 8, 3}, 0.1, rng);
    assertEquals(List.of("eps", "mlp.0.weight", "mlp.0.bias", "mlp.1.weight", "mlp.1.bias", "mlp.2.weight",
        "mlp.2.bias"), List.copyOf(trainable.namedParameters().keySet()));
    assertEquals(0.1, trainable.eps(), 1e-7);
    assertNull(new GINConv(new int[] {4, 3}, rng).epsParameter(), "ε is fixed unless asked: PyG's train_eps=False");
  }

  @Test
  void defaultInitializationsAreThoseOfPyTorchGeometric() {
    Rng rng = Rng.seeded(23);
    GCNConv gcn = new GCNConv(40, 60, rng.fork("gcn"));
    assertEquals(Initializers.glorotUniform(), gcn.lin().weight().initializer());
    assertArrayEquals(new double[60], gcn.bias().value().toDoubles(), 0.0, "bias zeros");
    double bound = Math.sqrt(6.0 / (40 + 60));
    double[] w = gcn.lin().weight().value().toDoubles();
    double sq = 0;
    for (double v : w) {
      assertTrue(Math.abs(v) <= bound, "glorot bound");
      sq += v * v;
    }
    // Var U(±b) = b²/3 = 2/(in + out) = 0.02; relative standard error of the mean of 2400 squares ≈ 2.4 %
    assertEquals(0.02, sq / w.length, 0.02 * 0.15);
    SAGEConv sage = new SAGEConv(40, 60, rng.fork("sage"));
    assertEquals(Initializers.pytorchDefaultWeight(), sage.linL().weight().initializer());
    assertEquals(Initializers.pytorchDefaultWeight(), sage.linR().weight().initializer());
    assertNull(sage.linR().bias(), "lin_r has no bias");
    GINConv gin = new GINConv(new int[] {40, 60, 5}, rng.fork("gin"));
    assertEquals(Initializers.pytorchDefaultWeight(), gin.mlp().get(1).weight().initializer());
  }

  @Test
  void aPathRuleReachesTheWeightsAnInitializerLikeVirgoTargets() {
    Rng rng = Rng.seeded(24);
    var rule = Initializers.uniform(-0.01, 0.01);
    GCNConv gcn = new GCNConv(4, 3, rng);
    assertEquals(List.of("lin.weight"), gcn.reinitialize(rng, (p, w) -> p.equals("lin.weight") ? rule : null));
    SAGEConv sage = new SAGEConv(4, 3, rng);
    assertEquals(List.of("lin_l.weight", "lin_r.weight"),
        sage.reinitialize(rng, (p, w) -> p.endsWith(".weight") ? rule : null));
    GINConv gin = new GINConv(new int[] {4, 8, 8, 3}, rng);
    String first = "mlp.0.weight";
    String last = "mlp." + (gin.mlp().size() - 1) + ".weight";
    assertEquals(List.of(first, last), gin.reinitialize(rng, (p, w) -> p.equals(first) || p.equals(last) ? rule : null));
    assertSame(gin.mlp().get(2).weight(), gin.namedParameters().get(last));
  }

  @Test
  void gcnUsesAnAlreadyNormalisedGraphAsItIs() {
    Rng rng = Rng.seeded(25);
    GCNConv gcn = new GCNConv(3, 2, rng);
    Tensor x = Tensors.randn(rng.fork("x"), 5, 3);
    Graph g = Graph.fromEdges(5, new int[] {0, 1, 2, 3}, new int[] {1, 2, 3, 4});
    assertArrayEquals(gcn.forward(x, g).toDoubles(), gcn.forward(x, g.gcnNormalized()).toDoubles(), 0.0);
  }

  @Test
  void hooksSeeInputGraphAndOutput() throws Exception {
    Rng rng = Rng.seeded(26);
    SAGEConv sage = new SAGEConv(3, 2, rng);
    Graph g = Graph.fromEdges(5, new int[] {0, 1}, new int[] {1, 2});
    List<String> seen = new ArrayList<>();
    try (AutoCloseable h = sage.addHook((layer, in, graph, out) -> seen.add(in.shape() + " " + graph.numEdges() + " " + out.shape()))) {
      sage.forward(Tensors.randn(rng, 5, 3), g);
    }
    sage.forward(Tensors.randn(rng, 5, 3), g);
    assertEquals(List.of("[5, 3] 2 [5, 2]"), seen);
  }

  @Test
  void wrongFeatureShapesAreRejectedNamingTheLayer() {
    Rng rng = Rng.seeded(27);
    Graph g = Graph.fromEdges(4, new int[] {0}, new int[] {1});
    var width = assertThrows(IllegalArgumentException.class, () -> new GCNConv(3, 2, rng).forward(Tensors.ones(4, 5), g));
    assertTrue(width.getMessage().startsWith("GCNConv") && width.getMessage().contains("(N, 3)")
        && width.getMessage().contains("[4, 5]"), width.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SAGEConv(3, 2, rng).forward(Tensors.ones(5, 3), g));
    assertThrows(IllegalArgumentException.class, () -> new GINConv(new int[] {3, 2}, rng).forward(Tensors.ones(4, 2), g));
    assertThrows(IllegalArgumentException.class, () -> new GINConv(new int[] {3}, rng));
    assertThrows(IllegalArgumentException.class, () -> GINConv.fixedEps(new int[] {3, 2}, Double.NaN, rng));
  }
}
