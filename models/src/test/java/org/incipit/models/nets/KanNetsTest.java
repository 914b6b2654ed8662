package org.incipit.models.nets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.models.data.Digits;
import org.incipit.models.data.Split;
import org.incipit.models.studies.ClassifierRun;
import org.incipit.models.train.TrainLoop;
import org.incipit.nn.Layer;
import org.incipit.nn.Sequential;
import org.incipit.nn.kan.KanLinear;
import org.incipit.optim.AdamW;
import org.incipit.optim.LrSchedule;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The KAN models on the digits: shapes, patch layout, and a smoke test that each one learns. */
class KanNetsTest {
  @Test
  void patchesAreRowMajorSquares() {
    double[] px = new double[64];
    for (int i = 0; i < 64; i++) {
      px[i] = i; // pixel (r, c) holds 8r + c
    }
    Tensor p = KatMixer.patches(Tensors.of(org.incipit.tensor.DType.F32, px, 1, 64), 4); // (1, 4, 16)
    assertEquals(Shape.of(1, 4, 16), p.shape());
    double[] v = p.toDoubles();
    // patch 1 is the top-right 4×4 square: rows 0..3, columns 4..7
    assertArrayEquals(new double[] {4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31},
        java.util.Arrays.copyOfRange(v, 16, 32), 0.0);
  }

  @Test
  void mixerShapesAndParameterPaths() {
    KatMixer kat = new KatMixer(KatMixer.Config.small(KatMixer.ChannelMlp.KAT), Rng.seeded(1));
    KatMixer gelu = new KatMixer(KatMixer.Config.small(KatMixer.ChannelMlp.GELU), Rng.seeded(1));
    Tensor x = Tensors.rand(Rng.seeded(2), 5, 64);
    assertEquals(Shape.of(5, 10), kat.forward(x).shape());
    assertEquals(Shape.of(5, 10), gelu.forward(x).shape());
    assertTrue(kat.namedParameters().containsKey("blocks.1.channel_mlp.act2.weight_denominator"));
    assertTrue(gelu.namedParameters().containsKey("blocks.1.channel_mlp.2.weight"));
    // the same Linears; KAT adds 2 × (6 + 8·4) rational coefficients per block
    assertEquals(gelu.parameterCount() + 2L * 2 * (6 + 8 * 4), kat.parameterCount());
    assertThrows(IllegalArgumentException.class, () -> kat.forward(Tensors.zeros(2, 63)));
  }

  private static double mean(List<Double> v, int from, int to) {
    return v.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  /** Trains on standardised digits with AdamW; returns (first-5 mean loss, last-5 mean loss, accuracy). */
  private static double[] train(Layer model, int steps, double lr, long seed) {
    Rng rng = Rng.seeded(seed);
    Split split = Split.stratified(Digits.load(), 0.2, rng.fork("split")).standardized();
    var h = ClassifierRun.train(model, AdamW.of(model, AdamW.Hyper.defaults().withLr(lr)), split, 32,
        new TrainLoop.Config(steps, steps, 1.0, LrSchedule.constant()), x -> x, Device.cpu(), rng.fork("data"),
        (t, l) -> { });
    return new double[] {mean(h.trainLoss(), 0, 5), mean(h.trainLoss(), steps - 5, steps), h.last().accuracy()};
  }

  @Test
  void katAndGeluMixersLearnTheDigits() {
    for (KatMixer.ChannelMlp mlp : KatMixer.ChannelMlp.values()) {
      double[] r = train(new KatMixer(KatMixer.Config.small(mlp), Rng.seeded(3)), 60, 1e-2, 4);
      System.out.printf("%s mixer, 60 AdamW steps (lr 1e-2): loss %.3f → %.3f, validation accuracy %.3f%n", mlp, r[0], r[1], r[2]);
      assertTrue(r[1] < 0.5 * r[0], mlp + ": loss " + r[0] + " → " + r[1]);
      assertTrue(r[2] > 0.6, mlp + ": accuracy " + r[2]);
    }
  }

  @Test
  void bSplineKanLearnsTheDigits() {
    Rng rng = Rng.seeded(5);
    Sequential kan = new Sequential(new KanLinear(64, 32, rng.fork("0")), new KanLinear(32, 10, rng.fork("1")));
    double[] r = train(kan, 40, 1e-2, 6);
    System.out.printf("B-spline KAN 64-32-10, 40 AdamW steps: loss %.3f → %.3f, validation accuracy %.3f%n", r[0], r[1], r[2]);
    assertTrue(r[1] < 0.5 * r[0], "loss " + r[0] + " → " + r[1]);
    assertTrue(r[2] > 0.8, "accuracy " + r[2]);
  }
}
