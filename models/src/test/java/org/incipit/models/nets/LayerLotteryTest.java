package org.incipit.models.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.prune.LayerLottery;
import org.incipit.nn.prune.Saliency;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * Layer pruning at initialization (Jordao et al. 2023, arXiv:2301.10835) on {@link PreNormResidualMlp}:
 * block removal keeps a valid network with the kept weights, k = 0 is the same network, scores are
 * a deterministic function of (seed, batch), and a block that cannot pass gradient is removed first.
 */
class LayerLotteryTest {
  private static final int DEPTH = 5;

  private static List<String> prefixes(int depth) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      p.add(PreNormResidualMlp.blockPrefix(i));
    }
    return p;
  }

  private static Supplier<Tensor> loss(PreNormResidualMlp net, Rng rng) {
    Tensor x = Tensors.randn(rng.fork("x"), 32, 12);                                      // (32, 12)
    Tensor y = Tensors.ofLongs(java.util.Arrays.stream(rng.fork("y").integers(32, 3)).toArray(), 32); // (32)
    return () -> Losses.crossEntropy(net.forward(x), y);
  }

  @Test
  void removingBlocksKeepsAValidNetworkWithTheKeptWeights() {
    PreNormResidualMlp net = new PreNormResidualMlp(12, 16, DEPTH, 3, Rng.seeded(1));
    Tensor x = Tensors.randn(Rng.seeded(2), 4, 12);
    PreNormResidualMlp same = net.withoutBlocks();
    assertArrayEquals(net.forward(x).toDoubles(), same.forward(x).toDoubles(), 0.0, "k = 0 is the same network");
    PreNormResidualMlp ticket = net.withoutBlocks(3, 1);
    assertEquals(DEPTH - 2, ticket.depth());
    assertEquals(Shape.of(4, 3), ticket.forward(x).shape());
    Map<String, Tensor> before = net.stateDict();
    Map<String, Tensor> after = ticket.stateDict();
    int[] kept = {0, 2, 4};
    for (int j = 0; j < kept.length; j++) {
      String w = PreNormResidualMlp.blockPrefix(j) + "fc1.weight";
      assertArrayEquals(before.get(PreNormResidualMlp.blockPrefix(kept[j]) + "fc1.weight").toDoubles(), after.get(w).toDoubles(),
          0.0, w);
    }
    assertArrayEquals(before.get("head.weight").toDoubles(), after.get("head.weight").toDoubles(), 0.0);
    assertThrows(IllegalArgumentException.class, () -> net.withoutBlocks(5));
    assertThrows(IllegalArgumentException.class, () -> net.withoutBlocks(1, 1));
  }

  @Test
  void blockScoresAreSumsOfWeightScoresAndDeterministic() {
    PreNormResidualMlp a = new PreNormResidualMlp(12, 16, DEPTH, 3, Rng.seeded(7));
    PreNormResidualMlp b = new PreNormResidualMlp(12, 16, DEPTH, 3, Rng.seeded(7));
    Map<String, Tensor> sa = Saliency.grasp(a, loss(a, Rng.seeded(8)));
    double[] ga = LayerLottery.blockScores(sa, prefixes(DEPTH));
    double[] gb = LayerLottery.blockScores(Saliency.grasp(b, loss(b, Rng.seeded(8))), prefixes(DEPTH));
    assertArrayEquals(ga, gb, 0.0, "same seed and batch → same bits");
    double manual = sa.get("blocks.2.fc1.weight").sum().item() + sa.get("blocks.2.fc2.weight").sum().item();
    assertEquals(manual, ga[2], 1e-12 * Math.max(1, Math.abs(manual)));
  }

  /**
   * A block whose fc2 is zero passes no gradient to its fc1 and has zero weights in fc2, so its SNIP
   * score |θ⊙g| is exactly 0 and it is the first block removed.
   */
  @Test
  void aBlockThatCannotPassGradientIsRemovedFirst() {
    PreNormResidualMlp net = new PreNormResidualMlp(12, 16, DEPTH, 3, Rng.seeded(3));
    net.namedParameters().get("blocks.3.fc2.weight").assign(Tensors.zeros(16, 16));
    double[] s = LayerLottery.blockScores(Saliency.snip(net, loss(net, Rng.seeded(4))), prefixes(DEPTH));
    assertEquals(0.0, s[3], 0.0);
    assertEquals(3, LayerLottery.lowest(s, 1)[0]);
    assertArrayEquals(new int[] {2, 0}, LayerLottery.lowest(new double[] {1, 5, -2, 1, 3}, 2));
    assertArrayEquals(new int[] {0, 3}, LayerLottery.lowest(new double[] {1, 5, 7, 1, 3}, 2), "ties: lower index first");
    assertThrows(IllegalArgumentException.class, () -> LayerLottery.lowest(s, DEPTH + 1));
  }
}
