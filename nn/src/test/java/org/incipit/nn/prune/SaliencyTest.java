package org.incipit.nn.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Initializers;
import org.incipit.nn.Sequential;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/** SNIP, GraSP and SynFlow scores against hand derivations; the global top-k mask. */
class SaliencyTest {
  /** A 3→1 linear layer (bias b), float64, with θ = (1, −2, 0.5), b = 0.25. */
  private static Linear oneLayer() {
    Linear l = new Linear(3, 1, Rng.seeded(0));
    l.to(DType.F64, org.incipit.tensor.Device.cpu());
    l.weight().assign(Tensors.of(DType.F64, new double[] {1, -2, 0.5}, 1, 3));
    l.bias().assign(Tensors.of(DType.F64, new double[] {0.25}, 1));
    return l;
  }

  /**
   * L = (θ·x + b − y)² with x = (1, 2, −1), y = 1: θ·x + b = 1 − 4 − 0.5 + 0.25 = −3.25, r = −4.25.
   * g = 2r·x = (−8.5, −17, 8.5); SNIP = |θ ⊙ g| = (8.5, 34, 4.25).
   * H_θθ = 2xxᵀ, so H·g = 2x(xᵀg) = 2x(−8.5 − 34 − 8.5) = −102·x = (−102, −204, 102);
   * GraSP (kept-high sign) = θ ⊙ H·g = (−102, 408, 51).
   */
  @Test
  void snipAndGraspByHand() {
    Linear l = oneLayer();
    Tensor x = Tensors.of(DType.F64, new double[] {1, 2, -1}, 1, 3);
    Tensor y = Tensors.of(DType.F64, new double[] {1}, 1, 1);
    assertArrayEquals(new double[] {8.5, 34, 4.25},
        Saliency.snip(l, () -> l.forward(x).sub(y).square().sum()).get("weight").toDoubles(), 1e-12);
    assertArrayEquals(new double[] {-102, 408, 51},
        Saliency.grasp(l, () -> l.forward(x).sub(y).square().sum()).get("weight").toDoubles(), 1e-12);
  }

  /**
   * SynFlow's conservation law (Tanaka et al. 2020, Theorem 2): in a bias-free ReLU chain every
   * layer's scores sum to the same R = 1ᵀ f(1; |θ|).
   */
  @Test
  void synflowScoresAreConservedLayerByLayer() {
    Rng rng = Rng.seeded(3);
    Sequential net = new Sequential(
        new Linear(5, 7, false, Initializers.heNormal(), Initializers.zeros(), rng.fork("0")), Activation.relu(),
        new Linear(7, 4, false, Initializers.heNormal(), Initializers.zeros(), rng.fork("2")), Activation.relu(),
        new Linear(4, 3, false, Initializers.heNormal(), Initializers.zeros(), rng.fork("4")));
    net.to(DType.F64, org.incipit.tensor.Device.cpu());
    Map<String, Tensor> scores = Saliency.synflowScores(net, Shape.of(1, 5), Map.of());
    double first = scores.values().iterator().next().sum().item();
    for (Map.Entry<String, Tensor> e : scores.entrySet()) {
      assertEquals(first, e.getValue().sum().item(), 1e-9 * first, e.getKey());
    }
    Map<String, Tensor> masks = Saliency.synflow(net, Shape.of(1, 5), 0.3, 4);
    double kept = masks.values().stream().mapToDouble(m -> m.sum().item()).sum();
    assertEquals(Math.round(0.3 * (35 + 28 + 12)), kept, 0.0);
  }

  @Test
  void topKKeepsTheHighestScoresAcrossTensors() {
    Map<String, Tensor> s = new LinkedHashMap<>();
    s.put("a", Tensors.of(new float[] {5, 1, 3}, 3));
    s.put("b", Tensors.of(new float[] {4, 2, 0, 6}, 2, 2));
    Map<String, Tensor> m = Saliency.topK(s, 3.0 / 7);
    assertArrayEquals(new double[] {1, 0, 0}, m.get("a").toDoubles());
    assertArrayEquals(new double[] {1, 0, 0, 1}, m.get("b").toDoubles());
    assertEquals(Shape.of(2, 2), m.get("b").shape());
    assertThrows(IllegalArgumentException.class, () -> Saliency.topK(s, 0));
  }
}
