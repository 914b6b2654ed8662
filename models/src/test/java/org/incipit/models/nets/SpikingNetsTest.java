package org.incipit.models.nets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.models.data.Digits;
import org.incipit.models.train.Checkpoints;
import org.incipit.nn.io.Safetensors;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.snn.Lif;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shapes, the T = 1 limit and the surrogate-free gradients of the spiking MLP and CNN. */
class SpikingNetsTest {
  @TempDir
  java.nio.file.Path dir;

  @Test
  void shapesAndParameterPathsMatchTheAnns() {
    Rng rng = Rng.seeded(1);
    SpikingMlp mlp = new SpikingMlp(new int[] {64, 32, 16, 10}, 3, Lif.Options.defaults(), rng.fork("m"));
    assertEquals(Shape.of(5, 10), mlp.forward(Tensors.rand(rng.fork("x"), 5, 64)).shape());
    assertEquals(List.of("fc0.weight", "fc0.bias", "lif0.leak", "lif0.threshold", "fc1.weight", "fc1.bias",
        "lif1.leak", "lif1.threshold", "fc2.weight", "fc2.bias"), new ArrayList<>(mlp.namedParameters().keySet()));
    SpikingCnn cnn = new SpikingCnn(1, 10, 2, Lif.Options.defaults().withPerNeuron(true), rng.fork("c"));
    assertEquals(Shape.of(3, 10), cnn.forward(Tensors.rand(rng.fork("i"), 3, 1, 8, 8)).shape());
    assertEquals(Shape.of(32, 4, 4), cnn.lif2().threshold().shape());
    for (String path : Cnn.withAveragePooling(1, 10, rng).namedParameters().keySet()) {
      assertTrue(cnn.namedParameters().containsKey(path), path);
    }
    assertThrows(IllegalArgumentException.class, () -> new SpikingMlp(new int[] {4, 2}, 3, Lif.Options.defaults(), rng));
    assertThrows(IllegalArgumentException.class, () -> mlp.setTimesteps(0));
    assertThrows(IllegalArgumentException.class, () -> SpikingCnn.fromAnn(new Cnn(1, 10, rng), 5,
        Lif.Options.defaults(), Tensors.zeros(2, 1, 8, 8), 90));
  }

  /**
   * At T = 1 the membrane starts at 0 and sees one current, so λ plays no part and each LIF layer is
   * the step o = 1[I &gt; V_th]: the output is W₂·H(W₁·H(W₀x + b₀ − V₀) + b₁ − V₁) + b₂, computed here
   * on the host in float64 from the weights (with λ = 0.3 in the network, to show it is ignored).
   */
  @Test
  void atOneTimestepTheOutputIsTheHeavisideChain() {
    Rng rng = Rng.seeded(2);
    SpikingMlp snn = new SpikingMlp(new int[] {6, 8, 7, 3}, 1, Lif.Options.defaults().withLeak(0.3), rng.fork("m"));
    snn.to(DType.F64, Device.cpu());
    snn.neurons().get(0).setThreshold(0.2);
    snn.neurons().get(1).setThreshold(0.15);
    Tensor x = Tensors.rand(rng.fork("x"), 4, 6).cast(DType.F64);
    double[] h = x.toDoubles();
    int width = 6;
    double[] vth = {0.2, 0.15};
    double margin = Double.POSITIVE_INFINITY;
    List<Linear> fc = snn.synapses();
    for (int l = 0; l < 3; l++) {
      double[] w = fc.get(l).weight().value().toDoubles();
      double[] b = fc.get(l).bias().value().toDoubles();
      int out = fc.get(l).outFeatures();
      double[] next = new double[4 * out];
      for (int i = 0; i < 4; i++) {
        for (int o = 0; o < out; o++) {
          double s = b[o];
          for (int k = 0; k < width; k++) {
            s += w[o * width + k] * h[i * width + k];
          }
          if (l < 2) {
            margin = Math.min(margin, Math.abs(s - vth[l]));
            s = s > vth[l] ? 1 : 0;
          }
          next[i * out + o] = s;
        }
      }
      h = next;
      width = out;
    }
    assertTrue(margin > 1e-9, "no current sits on a threshold: " + margin);
    assertArrayEquals(h, snn.forward(x).toDoubles(), 1e-12);
  }

  /** Gradcheck of {@code net} with respect to its input and every parameter (F64 on the CPU). */
  private static void gradcheck(Layer net, Tensor x, GradCheck.Options o, boolean fast) {
    if (fast) {
      org.incipit.nn.ModuleGradCheck.assertMatchesFast(net, x, net::forward, o);
    } else {
      org.incipit.nn.ModuleGradCheck.assertMatches(net, x, net::forward, o);
    }
  }

  /** A smooth stand-in for the spike, recording the smallest |z| it sees. */
  private static UnaryOperator<Tensor> smoothSpike(double[] margin) {
    return z -> {
      for (double v : z.toDoubles()) {
        margin[0] = Math.min(margin[0], Math.abs(v));
      }
      return z.mul(2.0).sigmoid();
    };
  }

  /**
   * The surrogate-free parts of the whole networks, in float64: with the spike replaced by the
   * smooth σ(2z) (the {@link Lif.Options} hook) a spiking network is a differentiable function of its
   * input, weights, biases, leaks and thresholds, so central differences check the rest of the
   * tape — direct encoding (one current expanded over T), the LIF recursion in every layer over
   * T steps, average pooling of (T·N) spike maps, and the accumulating output Σ_t (W·o_t + b).
   * The reset's H(z) is locally constant; the recorded margins show no z came near its kink
   * (10⁻³ for the MLPs; 10⁻⁴ for the CNN, whose random-direction steps move z by about 10⁻⁵).
   * The MLPs are checked element by element, the CNN (6 000 parameters) along 3 random directions.
   */
  @Test
  void gradcheckOfTheSurrogateFreeNetworksInFloat64() {
    Rng rng = Rng.seeded(4);
    double[] margin = {Double.POSITIVE_INFINITY};
    Lif.Options smooth = Lif.Options.defaults().withLeak(0.8).withThreshold(0.4).withSpike(smoothSpike(margin));
    SpikingMlp mlp = new SpikingMlp(new int[] {5, 4, 3, 3}, 3, smooth, rng.fork("m"));
    gradcheck(mlp, Tensors.rand(rng.fork("x"), 2, 5).cast(DType.F64), GradCheck.Options.float64(), false);
    SpikingMlp perNeuron = new SpikingMlp(new int[] {5, 4, 3}, 3, smooth.withPerNeuron(true), rng.fork("p"));
    gradcheck(perNeuron, Tensors.rand(rng.fork("x"), 2, 5).cast(DType.F64), GradCheck.Options.float64(), false);
    assertTrue(margin[0] > 1e-3, "every z of the MLPs stayed away from the reset's kink: min |z| = " + margin[0]);

    double[] cnnMargin = {Double.POSITIVE_INFINITY};
    SpikingCnn cnn = new SpikingCnn(1, 4, 2, smooth.withSpike(smoothSpike(cnnMargin)), rng.fork("c"));
    Tensor image = Digits.images(Digits.load().features().slice(0, 0, 1)).cast(DType.F64); // (1, 1, 8, 8)
    for (long seed = 1; seed <= 3; seed++) {
      gradcheck(cnn, image, new GradCheck.Options(1e-6, 1e-5, 1e-3, seed), true);
    }
    assertTrue(cnnMargin[0] > 1e-4, "every z of the CNN stayed away from the reset's kink: min |z| = " + cnnMargin[0]);
  }

  /**
   * IIR-SNN lowers T stage by stage, each stage starting from the previous one's weights,
   * thresholds and leaks: they travel through a safetensors checkpoint (λ and V_th as 0-d tensors)
   * into a network built for fewer steps, which then computes what the original does at that T.
   */
  @Test
  void thresholdsAndLeaksTravelThroughACheckpointToAShorterNetwork() throws Exception {
    Rng rng = Rng.seeded(6);
    SpikingMlp five = new SpikingMlp(new int[] {64, 32, 10}, 5, Lif.Options.defaults(), rng.fork("a"));
    five.neurons().get(0).setThreshold(0.37);
    five.neurons().get(0).setLeak(0.81);
    java.nio.file.Path file = dir.resolve("snn.safetensors");
    Checkpoints.save(file, five, Map.of());
    SpikingMlp three = new SpikingMlp(new int[] {64, 32, 10}, 3, Lif.Options.defaults(), rng.fork("b"));
    three.loadStateDict(Safetensors.load(file));
    assertEquals(0.37, three.neurons().get(0).threshold().value().item(), 1e-7);
    assertEquals(0.81, three.neurons().get(0).leak().value().item(), 1e-7);
    five.setTimesteps(3);
    Tensor x = Digits.load().features().slice(0, 0, 6);
    assertArrayEquals(five.forward(x).toDoubles(), three.forward(x).toDoubles(), 0.0);
  }
}
