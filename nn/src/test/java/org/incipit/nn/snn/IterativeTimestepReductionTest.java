package org.incipit.nn.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * IIR-SNN's schedule (Chowdhury, Rathi, Roy 2021, arXiv:2110.05929): T decreases one step at a
 * time, and every stage starts from exactly the parameters (weights, thresholds, leaks) the
 * previous stage ended with — nothing is redrawn or recomputed between stages.
 */
class IterativeTimestepReductionTest {
  /** Linear → LIF → sum over time: the smallest {@link Timestepped} network. */
  private static final class TinySnn extends Layer implements Timestepped {
    private final Linear fc;
    private final Lif lif;
    private int timesteps = 5;

    TinySnn(Rng rng) {
      fc = child("fc", new Linear(3, 4, rng.fork("fc")));
      lif = child("lif", new Lif(Shape.of(4), Lif.Options.defaults().withThreshold(0.3)));
    }

    @Override
    protected Tensor compute(Tensor x) {
      Tensor i = fc.forward(x);                                       // (N, 4)
      return lif.forward(i.unsqueeze(0).expand(timesteps, i.size(0), 4)).sum(0); // (N, 4) spike counts
    }

    @Override
    public int timesteps() {
      return timesteps;
    }

    @Override
    public void setTimesteps(int t) {
      timesteps = t;
    }
  }

  @Test
  void scheduleCountsDownByOne() {
    assertArrayEquals(new int[] {5, 4, 3, 2, 1}, IterativeTimestepReduction.schedule(5, 1));
    assertArrayEquals(new int[] {1}, IterativeTimestepReduction.schedule(1, 1));
    qt().withFixedSeed(7).withExamples(200).forAll(integers().between(1, 40), integers().between(1, 40))
        .assuming((from, to) -> to <= from)
        .checkAssert((from, to) -> {
          int[] s = IterativeTimestepReduction.schedule(from, to);
          assertEquals(from - to + 1, s.length);
          assertEquals(from, s[0]);
          assertEquals(to, s[s.length - 1]);
          for (int i = 1; i < s.length; i++) {
            assertEquals(s[i - 1] - 1, s[i]);
          }
        });
    assertThrows(IllegalArgumentException.class, () -> IterativeTimestepReduction.schedule(2, 0));
    assertThrows(IllegalArgumentException.class, () -> IterativeTimestepReduction.schedule(1, 2));
  }

  @Test
  void badSchedulesAreRejected() {
    TinySnn snn = new TinySnn(Rng.seeded(1));
    for (int[] bad : new int[][] {{}, {3, 3}, {2, 0}, {1, 2}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> IterativeTimestepReduction.run(snn, bad, t -> {}, t -> 0));
      assertTrue(e.getMessage().startsWith("iir-snn"), e.getMessage());
    }
  }

  @Test
  void eachStageStartsFromThePreviousStagesParameters() {
    TinySnn snn = new TinySnn(Rng.seeded(2));
    Tensor x = Tensors.randn(Rng.seeded(3), 6, 3);
    List<Integer> order = new ArrayList<>();
    List<Map<String, Tensor>> ends = new ArrayList<>();
    List<Map<String, Tensor>> starts = new ArrayList<>();
    List<IterativeTimestepReduction.Stage> stages = IterativeTimestepReduction.run(snn, new int[] {4, 2, 1}, t -> {
      order.add(snn.timesteps());
      starts.add(snn.stateDict());
      // a stand-in for retraining: move the threshold and the leak, as training would
      snn.lif.setThreshold(snn.lif.threshold().value().item() * 0.7);
      snn.lif.setLeak(snn.lif.leak().value().item() - 0.1);
      ends.add(snn.stateDict());
    }, t -> snn.forward(x).sum().item());
    assertEquals(List.of(4, 2, 1), order, "T set before each stage's retraining");
    for (int k = 1; k < 3; k++) {
      for (var e : ends.get(k - 1).entrySet()) {
        assertArrayEquals(e.getValue().toDoubles(), starts.get(k).get(e.getKey()).toDoubles(), 0,
            "stage " + k + " starts from stage " + (k - 1) + "'s " + e.getKey());
      }
    }
    assertEquals(0.3 * 0.7 * 0.7 * 0.7, snn.lif.threshold().value().item(), 1e-6, "thresholds never recomputed");
    assertEquals(3, stages.size());
    assertEquals(1, stages.get(2).timesteps());
  }
}
