package org.incipit.nn.snn;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

class ConversionTest {
  /** in → Linear → LIF → Linear → LIF, T = 3, direct input: a minimal two-layer SNN. */
  static final class TwoLayers extends Layer {
    final Linear fc0;
    final Lif lif0;
    final Linear fc1;
    final Lif lif1;

    TwoLayers(Rng rng) {
      fc0 = child("fc0", new Linear(4, 6, rng.fork("fc0")));
      lif0 = child("lif0", new Lif(Shape.of(6), Lif.Options.defaults().withLeak(0.5)));
      fc1 = child("fc1", new Linear(6, 5, rng.fork("fc1")));
      lif1 = child("lif1", new Lif(Shape.of(5), Lif.Options.defaults()));
    }

    @Override
    protected Tensor compute(Tensor x) {
      Tensor i0 = fc0.forward(x); // (N, 6), the same current at every step
      return lif1.forward(fc1.forward(lif0.forward(i0.unsqueeze(0).expand(3, x.size(0), 6)))); // (3, N, 5)
    }
  }

  @Test
  void percentileIsTheNearestRankOfTheReference() {
    double[] v = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6, 0}; // 0..10
    assertEquals(9.0, Conversion.percentile(v, 90), 0.0);  // k = 1 + round(0.9·10) = 10th smallest
    assertEquals(5.0, Conversion.percentile(v, 50), 0.0);
    assertEquals(10.0, Conversion.percentile(v, 100), 0.0);
    assertEquals(0.0, Conversion.percentile(v, 0), 0.0);
    // ties round to even as Python's round: 0.25·(3 − 1) = 0.5 → 0, 0.75·2 = 1.5 → 2
    assertEquals(1.0, Conversion.percentile(new double[] {3, 1, 2}, 25), 0.0);
    assertEquals(3.0, Conversion.percentile(new double[] {3, 1, 2}, 75), 0.0);
  }

  @Test
  void thresholdsAreSetLayerByLayerFromTheCurrentsEachLayerReceives() {
    TwoLayers snn = new TwoLayers(Rng.seeded(1));
    Tensor x = Tensors.rand(Rng.seeded(2), 40, 4);
    double[] vth = Conversion.setThresholds(snn, x, 90);
    assertEquals(1.0, snn.lif0.leak().value().item(), 0.0, "leak 1 during (and after) the search");
    // layer 0: its current W₀x + b₀ does not depend on time or on any threshold
    double expected0 = Conversion.percentile(snn.fc0.forward(x).toDoubles(), 90);
    assertEquals(expected0, vth[0], 1e-6);
    assertEquals(expected0, snn.lif0.threshold().value().item(), 1e-6);
    assertEquals(new org.incipit.init.Constant(vth[0]), snn.lif0.threshold().initializer(), "provenance");
    // layer 1: the max over steps of the percentile of W₁·o_t + b₁, with o from layer 0 at its new threshold
    Tensor spikes0 = snn.lif0.forward(snn.fc0.forward(x).unsqueeze(0).expand(3, 40, 6));
    Tensor i1 = snn.fc1.forward(spikes0); // (3, 40, 5)
    double expected1 = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < 3; t++) {
      expected1 = Math.max(expected1, Conversion.percentile(i1.select(0, t).toDoubles(), 90));
    }
    assertEquals(expected1 > 0 ? expected1 : Conversion.FALLBACK_THRESHOLD, vth[1], 1e-6);
    assertThrows(IllegalArgumentException.class, () -> Conversion.setThresholds(snn, x, 0));
    assertThrows(IllegalArgumentException.class, () -> Conversion.setThresholds(new Linear(2, 2, Rng.seeded(1)),
        Tensors.zeros(1, 2), 90));
  }

  @Test
  void aLayerThatNeverReceivesPositiveCurrentGetsTheFallbackThreshold() {
    TwoLayers snn = new TwoLayers(Rng.seeded(1));
    snn.fc0.weight().assign(Tensors.zeros(6, 4));
    snn.fc0.bias().assign(Tensors.full(Shape.of(6), -1.0, org.incipit.tensor.DType.F32, org.incipit.tensor.Device.cpu()));
    double[] vth = Conversion.setThresholds(snn, Tensors.rand(Rng.seeded(2), 8, 4), 90);
    assertEquals(Conversion.FALLBACK_THRESHOLD, vth[0], 0.0);
  }

  @Test
  void copyWeightsMatchesPathsAndShapes() {
    TwoLayers snn = new TwoLayers(Rng.seeded(1));
    TwoLayers other = new TwoLayers(Rng.seeded(9));
    var ann = new org.incipit.nn.Sequential(new Linear(4, 6, Rng.seeded(3)));
    assertThrows(IllegalArgumentException.class, () -> Conversion.copyWeights(ann, snn), "paths '0.weight' do not exist");
    assertEquals(8, Conversion.copyWeights(other, snn).size()); // 2 Linear × 2 + 2 LIF × 2
    assertArrayEquals(other.fc1.weight().value().toDoubles(), snn.fc1.weight().value().toDoubles(), 0.0);
  }
}
