package org.incipit.nn.snn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

class LifTest {
  /** Currents (T, N, F) in float64 from rows of per-step values. */
  private static Tensor currents(double[][] steps, int n, int f) {
    double[] flat = new double[steps.length * n * f];
    for (int t = 0; t < steps.length; t++) {
      System.arraycopy(steps[t], 0, flat, t * n * f, n * f);
    }
    return Tensors.of(DType.F64, flat, steps.length, n, f);
  }

  /**
   * Two neurons, λ = 0.5, V_th = 1, three steps. Neuron 0 gets I = 0.8, 0.9, 0.3; neuron 1 gets
   * 2.5, 0.4, 0.0.
   * <pre>
   * neuron 0: U = 0.8 (no spike) → 0.5·0.8 + 0.9 = 1.3 (spike, U ← 0.3) → 0.5·0.3 + 0.3 = 0.45 (no spike)
   * neuron 1: U = 2.5 (spike, U ← 1.5) → 0.5·1.5 + 0.4 = 1.15 (spike, U ← 0.15) → 0.075 (no spike)
   * </pre>
   * Neuron 1's second spike exists only because the soft reset kept the excess 1.5 (a reset to zero
   * would give U = 0.4). With the identity as "spike function" the layer outputs z = U/V_th − 1 of
   * each step before the reset (the reset still uses H(z)), so the membrane itself is visible.
   */
  @Test
  void softResetArithmeticOnAHandComputedExample() {
    Tensor in = currents(new double[][] {{0.8, 2.5}, {0.9, 0.4}, {0.3, 0.0}}, 1, 2);
    Lif lif = new Lif(Shape.of(2), Lif.Options.defaults().withLeak(0.5));
    lif.to(DType.F64, Device.cpu());
    assertArrayEquals(new double[] {0, 1, 1, 1, 0, 0}, lif.forward(in).toDoubles(), 0.0);
    Lif probe = new Lif(Shape.of(2), Lif.Options.defaults().withLeak(0.5).withSpike(z -> z));
    probe.to(DType.F64, Device.cpu());
    double[] u = probe.forward(in).toDoubles(); // U − 1 per step, before the reset
    assertArrayEquals(new double[] {0.8 - 1, 2.5 - 1, 1.3 - 1, 1.15 - 1, 0.45 - 1, 0.075 - 1}, u, 1e-15);
  }

  @Test
  void thresholdScalesTheSpikeConditionAndZeroInputNeverFires() {
    Lif lif = new Lif(Shape.of(3), Lif.Options.defaults().withThreshold(2.0));
    lif.to(DType.F64, Device.cpu());
    // integrate-and-fire (λ = 1) with soft reset conserves charge: U_t = t·c − V_th·(spikes so far), so a
    // constant current c ≤ V_th fires ⌊t·c/V_th⌋ times in t steps (t·c/V_th not an integer): 8·0.7/2 → 2
    Tensor in = Tensors.of(DType.F64, new double[] {0.7, 1.3, 0.0}, 1, 1, 3).expand(8, 1, 3);
    double[] o = lif.forward(in).toDoubles(); // (8, 1, 3)
    double[] counts = new double[3];
    for (int t = 0; t < 8; t++) {
      for (int j = 0; j < 3; j++) {
        counts[j] += o[t * 3 + j];
      }
    }
    assertArrayEquals(new double[] {2, 5, 0}, counts, 0.0);
  }

  @Test
  void clampLeakProjectsOntoLambdaAtMostOne() {
    Lif lif = new Lif(Shape.of(4), Lif.Options.defaults().withPerNeuron(true));
    assertEquals(Shape.of(4), lif.leak().shape());
    lif.leak().assign(Tensors.of(new float[] {1.7f, 1.0f, 0.4f, -0.2f}, 4));
    lif.clampLeak();
    assertArrayEquals(new double[] {1.0, 1.0, 0.4, -0.2}, lif.leak().value().toDoubles(), 1e-7);
    assertTrue(lif.leak().value().requiresGrad(), "still a trainable leaf");
    Lif a = new Lif(Shape.of(2), Lif.Options.defaults());
    a.leak().assign(Tensors.scalar(3.0));
    var net = new org.incipit.nn.Sequential(a, new Lif(Shape.of(2), Lif.Options.defaults()));
    assertEquals(2, Lif.clampLeaks(net));
    assertEquals(1.0, a.leak().value().item(), 0.0);
  }

  @Test
  void optionsAndShapesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> Lif.Options.defaults().withLeak(1.5));
    assertThrows(IllegalArgumentException.class, () -> Lif.Options.defaults().withThreshold(0));
    Lif lif = new Lif(Shape.of(3), Lif.Options.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> lif.forward(Tensors.zeros(2, 4, 5)));
    assertTrue(e.getMessage().contains("lif") && e.getMessage().contains("4, 5"), e.getMessage());
    assertEquals(Shape.scalar(), lif.threshold().shape());
    assertEquals(java.util.List.of("leak", "threshold"), new java.util.ArrayList<>(lif.namedParameters().keySet()));
  }

  /** Gradients reach every step's current, λ and V_th through time (and only earlier steps' currents reach later spikes). */
  @Test
  void backpropagationThroughTimeReachesEarlierSteps() {
    Lif lif = new Lif(Shape.of(1), Lif.Options.defaults().withLeak(0.9));
    lif.to(DType.F64, Device.cpu());
    Tensor in = Tensors.of(DType.F64, new double[] {0.6, 0.6, 0.6}, 3, 1, 1).withGrad();
    Tensor o = lif.forward(in); // spikes at t = 1 only: U = 0.6, 1.14 (fire → 0.14), 0.726
    assertArrayEquals(new double[] {0, 1, 0}, o.toDoubles(), 0.0);
    Gradients g = o.select(0, 2).sum().backward(); // the last step's output only
    double[] di = g.of(in).toDoubles();
    assertTrue(di[0] != 0 && di[1] != 0 && di[2] != 0, "every earlier current matters: " + java.util.Arrays.toString(di));
    assertNotEquals(0.0, g.of(lif.leak().value()).item());
    assertNotEquals(0.0, g.of(lif.threshold().value()).item());
  }

  /**
   * Gradcheck of everything in the layer but the spike's surrogate. The spike function is replaced by
   * the smooth s(z) = σ(3z) (the Options hook), so the layer is a differentiable function of the
   * currents, λ and V_th: the check then covers the membrane recursion U ← λU + I over T = 4 steps
   * (backpropagation through time), the division z = U/V_th − 1, the soft reset's dependence on
   * V_th, and — with per-neuron parameters — their broadcasting. The reset's H(z) is locally
   * constant, so finite differences agree with the tape only away from z = 0: the hook records the
   * smallest |z| seen and the test asserts the margin is far larger than the step ε = 1e-6.
   */
  @Test
  void gradcheckOfTheSurrogateFreeLayerInFloat64() {
    for (boolean perNeuron : new boolean[] {false, true}) {
      double[] margin = {Double.POSITIVE_INFINITY};
      UnaryOperator<Tensor> smooth = z -> {
        for (double v : z.toDoubles()) {
          margin[0] = Math.min(margin[0], Math.abs(v));
        }
        return z.mul(3.0).sigmoid();
      };
      Lif lif = new Lif(Shape.of(3), Lif.Options.defaults().withPerNeuron(perNeuron).withSpike(smooth));
      lif.to(DType.F64, Device.cpu());
      Rng rng = Rng.seeded(perNeuron ? 7 : 8);
      Tensor in = Tensors.rand(rng.fork("i"), 4, 2, 3).mul(1.6).sub(0.2).cast(DType.F64);   // I in (−0.2, 1.4)
      int k = perNeuron ? 3 : 1;
      Tensor leak = Tensors.rand(rng.fork("l"), k).mul(0.6).add(0.35).cast(DType.F64);       // λ in (0.35, 0.95)
      Tensor vth = Tensors.rand(rng.fork("v"), k).mul(0.8).add(0.6).cast(DType.F64);          // V_th in (0.6, 1.4)
      Shape ps = lif.leak().shape();
      Function<Tensor[], Tensor> f = x -> {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("leak", x[1].reshape(ps.dims()));
        p.put("threshold", x[2].reshape(ps.dims()));
        return lif.withParameters(p, () -> lif.forward(x[0]));
      };
      GradCheck.assertMatches(f, new Tensor[] {in, leak, vth}, GradCheck.Options.float64());
      assertTrue(margin[0] > 1e-3, "every z stayed away from the reset's kink: min |z| = " + margin[0]);
    }
  }
}
