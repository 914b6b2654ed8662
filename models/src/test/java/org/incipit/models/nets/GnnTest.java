package org.incipit.models.nets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.Karate;
import org.incipit.models.data.NodeData;
import org.incipit.nn.graph.GINConv;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

class GnnTest {
  private static final NodeData CLUB = Karate.load();

  private static Gnn net(Gnn.Conv conv, int layers) {
    return new Gnn(new Gnn.Config(conv, 34, 8, 2, layers, 0.5), Rng.seeded(1));
  }

  @Test
  void everyLayerTypeMapsNodeFeaturesToLogits() {
    for (Gnn.Conv conv : Gnn.Conv.values()) {
      for (int layers = 1; layers <= 3; layers++) {
        Gnn g = net(conv, layers);
        assertEquals(layers, g.convs().size());
        assertEquals(Shape.of(34, 2), g.forward(CLUB.features(), CLUB.graph()).shape(), conv + " x " + layers);
      }
    }
  }

  @Test
  void parameterPathsNameEachLayerAsPyG() {
    assertEquals(List.of("convs.0.bias", "convs.0.lin.weight", "convs.1.bias", "convs.1.lin.weight"),
        List.copyOf(net(Gnn.Conv.GCN, 2).namedParameters().keySet()));
    assertEquals(List.of("convs.0.lin_l.weight", "convs.0.lin_l.bias", "convs.0.lin_r.weight"),
        List.copyOf(net(Gnn.Conv.SAGE, 1).namedParameters().keySet()));
    Gnn gin = net(Gnn.Conv.GIN, 2);
    assertTrue(gin.namedParameters().containsKey("convs.1.mlp.1.weight"));
    GINConv last = (GINConv) gin.convs().get(1);
    assertEquals(List.of(8, 2, 2), List.of(last.inFeatures(), last.mlp().get(0).outFeatures(), last.outFeatures()),
        "BasicGNN's GIN MLP is [w_in, w_out, w_out]");
  }

  @Test
  void dropoutActsInTrainingOnlyAndTheSeedFixesTheModel() {
    Gnn a = net(Gnn.Conv.GCN, 2);
    Gnn b = net(Gnn.Conv.GCN, 2);
    Tensor x = CLUB.features();
    assertArrayEquals(a.forward(x, CLUB.graph()).toDoubles(), b.forward(x, CLUB.graph()).toDoubles(), 0.0,
        "same seed, same weights and masks");
    assertFalse(java.util.Arrays.equals(a.forward(x, CLUB.graph()).toDoubles(), a.forward(x, CLUB.graph()).toDoubles()),
        "a new dropout mask per call in training");
    a.eval();
    assertArrayEquals(a.forward(x, CLUB.graph()).toDoubles(), a.forward(x, CLUB.graph()).toDoubles(), 0.0);
    assertArrayEquals(a.forward(x, CLUB.graph()).toDoubles(), a.forward(x, CLUB.graph().gcnNormalized()).toDoubles(), 0.0,
        "a normalised graph is used as it is");
  }

  @Test
  void badConfigurationsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Gnn.Config(Gnn.Conv.GCN, 34, 8, 2, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new Gnn.Config(Gnn.Conv.GCN, 34, 0, 2, 2, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new Gnn.Config(Gnn.Conv.GCN, 34, 8, 2, 2, 1.0));
  }
}
