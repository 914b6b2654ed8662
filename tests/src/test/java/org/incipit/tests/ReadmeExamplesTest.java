package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Fans;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.models.data.Digits;
import org.incipit.models.data.Karate;
import org.incipit.models.data.NodeData;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.nets.Gnn;
import org.incipit.models.nets.Mlp;
import org.incipit.models.nets.SpikingMlp;
import org.incipit.nn.Sequential;
import org.incipit.nn.adapters.LoraModel;
import org.incipit.nn.adapters.LoraScheme;
import org.incipit.nn.io.Safetensors;
import org.incipit.nn.kan.Denominator;
import org.incipit.nn.kan.GroupRational;
import org.incipit.nn.kan.RationalPreset;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.snn.Lif;
import org.incipit.nn.ssm.S4D;
import org.incipit.init.S4DInit;
import org.incipit.nn.ssm.S4DKernel;
import org.incipit.optim.AdamW;
import org.incipit.optim.LrSchedule;
import org.incipit.optim.ParamGroup;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Cdf;
import org.incipit.testkit.Gens;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code examples of README.md, run as written (with small inputs), so the README stays true. */
class ReadmeExamplesTest {
  @TempDir
  Path dir;

  @Test
  void firstExample() {
    Tensor w = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2).withGrad();
    Tensor x = Tensors.of(new float[] {1, -1}, 2);
    Tensor loss = w.matmul(x).tanh().sum();
    Gradients grads = loss.backward();
    Tensor dw = grads.of(w);
    double d = 1 - Math.pow(Math.tanh(-1), 2); // both rows: w·x = −1
    assertArrayEquals(new double[] {d, -d, d, -d}, dw.toDoubles(), 1e-6);
  }

  @Test
  void initializersLayersCheckpointsAndOptimizers() throws Exception {
    Initializer init = Initializers.heNormal();
    Shape s = Shape.of(256, 128);
    Tensor w = init.create(s, Fans.of(s), Rng.seeded(0).fork("fc1.weight"));
    assertEquals(s, w.shape());

    Rng rng = Rng.seeded(0);
    Sequential mlp = new Sequential(new Linear(64, 128, rng.fork("0")), Activation.relu(),
        new Linear(128, 10, rng.fork("2")));
    Tensor x = Tensors.randn(rng.fork("x"), 5, 64);
    assertEquals(Shape.of(5, 10), mlp.forward(x).shape());
    Path file = dir.resolve("mlp.safetensors");
    Safetensors.save(file, mlp, Map.of());
    assertTrue(Files.size(file) > 128 * 64 * 4);

    AdamW opt = new AdamW(ParamGroup.splitDecay(mlp, AdamW.Hyper.defaults().withLr(3e-3)));
    LrSchedule schedule = LrSchedule.cosine(2, 10, 0.1);
    Tensor y = Tensors.ofLongs(rng.fork("y").integers(5, 10), 5);
    double first = Double.NaN;
    double last = Double.NaN;
    for (long t = opt.steps(); t < 10; t++) {
      opt.setLrFactor(schedule.factor(t));
      Tensor l = Losses.crossEntropy(mlp.forward(x), y);
      first = t == 0 ? l.item() : first;
      last = l.item();
      opt.step(l.backward());
    }
    assertTrue(last < first, "the loop trains");
  }

  @Test
  void graphStateSpaceSpikingAndKanExamples() {
    NodeData club = Karate.load();
    Gnn net = new Gnn(new Gnn.Config(Gnn.Conv.GCN, 34, 16, 2, 2, 0.5), Rng.seeded(1));
    assertEquals(Shape.of(34, 2), net.forward(club.features(), club.graph()).shape());

    Rng rng = Rng.seeded(2);
    S4D layer = new S4D(8, 8, S4DInit.inv(), S4DKernel.Discretization.ZOH, 0.1, rng.fork("s4d"));
    Tensor u = Tensors.randn(rng.fork("u"), 2, 8, 16);
    assertEquals(Shape.of(2, 8, 16), layer.forward(u).shape());

    Mlp ann = Mlp.pytorchDefault(new int[] {64, 32, 10}, Tensor::relu, rng.fork("ann"));
    Tensor calibration = Digits.load().features().slice(0, 0, 64);
    SpikingMlp snn = SpikingMlp.fromAnn(ann, 5, Lif.Options.defaults(), calibration, 90);
    assertEquals(Shape.of(64, 10), snn.forward(calibration).shape());

    GroupRational act = new GroupRational(64, 8, RationalPreset.SWISH, Denominator.ABS_OF_SUM, rng.fork("act"));
    Tensor h = Tensors.randn(rng.fork("h"), 2, 3, 64);
    Tensor swish = h.mul(h.sigmoid());
    assertArrayEquals(swish.toDoubles(), act.forward(h).toDoubles(), 1e-4, "≈ h·σ(h) at init");
  }

  /** "Testing your own initializer": the snippet as written, and the same check failing on a 10 % wrong std. */
  @Test
  void testingYourOwnInitializer() {
    Initializer mine = (shape, fans, rng) ->
        Tensors.of(DType.F32, rng.normal(shape.numel(), 0, Math.sqrt(2 / fans.in())), shape.dims());
    holdToHeNormal(mine);
    AssertionError e = assertThrows(AssertionError.class, () -> holdToHeNormal(mine.scaled(1.1)));
    assertTrue(e.getMessage().contains("Seed was 7") && e.getMessage().contains("variance"), e.getMessage());
  }

  private static void holdToHeNormal(Initializer mine) {
    qt().withFixedSeed(7).withExamples(20).forAll(Gens.between(16, 300), Gens.between(16, 300), Gens.longs())
        .checkAssert((out, in, seed) -> {
          Shape s = Shape.of(out, in);
          double[] w = mine.create(s, Fans.of(s), Rng.seeded(seed)).toDoubles();
          double std = Math.sqrt(2.0 / in);
          SampleCheck.assertMean(w, 0, std, SampleCheck.DEFAULT_ALPHA);
          SampleCheck.assertVariance(w, std * std, SampleCheck.NORMAL_KURTOSIS, SampleCheck.DEFAULT_ALPHA);
          SampleCheck.assertDistribution(w, Cdf.normal(0, std), SampleCheck.DEFAULT_ALPHA);
        });
  }

  @Test
  void loraWithPissaOnTheCharGpt() {
    Rng rng = Rng.seeded(3);
    Tensor x = Tensors.ofLongs(rng.fork("x").integers(4 * 16, 32), 4, 16);
    Tensor y = Tensors.ofLongs(rng.fork("y").integers(4 * 16, 32), 4, 16);
    CharGpt gpt = new CharGpt(new CharGpt.Config(32, 16, 2, 32, 4), CharGpt.Init.GPT2, Rng.seeded(0));
    double before = gpt.loss(x, y).item();

    LoraModel lora = LoraModel.lora(gpt, p -> p.endsWith("attn.wq") || p.endsWith("attn.wv"), 4, 8, Rng.seeded(1));
    LoraScheme.pissa().apply(lora, Rng.seeded(2));                   // residual: W0 ← W0 − s·B·A
    AdamW opt = AdamW.of(lora, AdamW.Hyper.defaults().withLr(1e-3));   // trains only A and B
    Tensor loss = lora.call(() -> gpt.loss(x, y));                      // runs the model with W0 + s·B·A
    opt.step(loss.backward());

    assertEquals(before, loss.item(), 1e-5, "PiSSA leaves the model's loss unchanged at init");
    assertEquals(2 * 2 * 4 * (32 + 32), lora.trainableParameterCount(), "r·(in + out) per adapted layer");
    assertTrue(lora.call(() -> gpt.loss(x, y)).item() != loss.item(), "the step moved the adapters");
  }
}
