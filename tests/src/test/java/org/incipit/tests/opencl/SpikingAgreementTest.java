package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.models.data.Digits;
import org.incipit.models.nets.SpikingCnn;
import org.incipit.models.nets.SpikingMlp;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.nn.snn.Conversion;
import org.incipit.nn.snn.Lif;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.MemoryScope;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The spiking MLP and CNN agree on the CPU and on OpenCL, forward and backward (BPTT through the
 * surrogate), at T = 4.
 *
 * <p>A spike is a discontinuous function of the membrane, so two backends whose float32 sums round
 * differently may disagree by a whole spike. The networks are therefore built from dyadic numbers:
 * weights and biases are multiples of 1/16 in [−½, ½], the digits' pixels are k/16, λ = ½ and
 * V_th = ½. Every current, membrane, z = 2U − 1 and pooled spike is then exact in float32 whatever
 * the summation order, so the spikes (and the output) agree bit for bit, and the gradients agree
 * within float32 rounding of sums. The test also checks that the layers fire neither never nor
 * always, so the comparison covers both branches of the surrogate.
 */
class SpikingAgreementTest {
  /** |opencl − cpu| ≤ ATOL + RTOL·max|cpu| per gradient tensor: float32 sums in different orders. */
  static final double ATOL = 1e-5;
  static final double RTOL = 1e-4;

  private static void makeDyadic(Layer net, Rng rng) {
    for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
      Parameter p = e.getValue();
      if (e.getKey().endsWith("leak") || e.getKey().endsWith("threshold")) {
        p.assign(Tensors.full(p.shape(), 0.5, DType.F32, Device.cpu()));
      } else {
        double[] v = rng.fork(e.getKey()).uniform(p.shape().numel());
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.rint((v[i] - 0.5) * 16) / 16;
        }
        p.assign(Tensors.of(DType.F32, v, p.shape(), Device.cpu()));
      }
    }
  }

  /** The output, the fraction of spikes of each LIF layer, and the gradient of every parameter. */
  private static List<double[]> run(Layer net, Tensor x, Device device) throws Exception {
    net.to(DType.F32, device);
    List<double[]> rates = new ArrayList<>();
    List<AutoCloseable> hooks = new ArrayList<>();
    for (Lif lif : Conversion.lifLayers(net)) {
      hooks.add(lif.addHook((l, in, out) -> rates.add(new double[] {out.mean().item()})));
    }
    Tensor out = net.forward(x.to(device));
    for (AutoCloseable h : hooks) {
      h.close();
    }
    Tensor g = Tensors.of(DType.F32, Rng.seeded(9).normal(out.numel()), out.shape(), device);
    Gradients grads = out.backward(g);
    List<double[]> values = new ArrayList<>(List.of(out.toDoubles()));
    values.addAll(rates);
    for (Parameter p : net.parameters()) {
      values.add(grads.of(p.value()).toDoubles());
    }
    return values;
  }

  private static void agree(Layer onCpu, Layer onCl, Tensor x, String what) throws Exception {
    Device cl = OpenClDevices.require();
    try (MemoryScope scope = MemoryScope.open()) {
      List<double[]> want = run(onCpu, x, Device.cpu());
      List<double[]> got = run(onCl, x, cl);
      int lifs = Conversion.lifLayers(onCpu).size();
      assertArrayEquals(want.get(0), got.get(0), 0.0, what + ": the outputs agree exactly");
      for (int l = 1; l <= lifs; l++) {
        double rate = want.get(l)[0];
        assertTrue(rate > 0.02 && rate < 0.98, what + ": LIF layer " + l + " fires at rate " + rate);
        assertEquals(rate, got.get(l)[0], 0.0, what + ": the spikes agree exactly");
      }
      List<String> names = new ArrayList<>(onCpu.namedParameters().keySet());
      for (int i = lifs + 1; i < want.size(); i++) {
        double[] a = want.get(i);
        double[] b = got.get(i);
        double scale = 0;
        for (double v : a) {
          scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + ": gradient of " + names.get(i - lifs - 1) + " is not zero");
        for (int j = 0; j < a.length; j++) {
          assertEquals(a[j], b[j], ATOL + RTOL * scale, what + ": gradient of " + names.get(i - lifs - 1) + "[" + j + "]");
        }
      }
    }
  }

  @Test
  void spikingMlpAgreesForwardAndBackward() throws Exception {
    OpenClDevices.require();
    Lif.Options o = Lif.Options.defaults().withPerNeuron(true);
    SpikingMlp a = new SpikingMlp(new int[] {64, 32, 16, 10}, 4, o, Rng.seeded(1));
    SpikingMlp b = new SpikingMlp(new int[] {64, 32, 16, 10}, 4, o, Rng.seeded(1));
    makeDyadic(a, Rng.seeded(2));
    makeDyadic(b, Rng.seeded(2));
    agree(a, b, Digits.load().features().slice(0, 0, 16), "spiking MLP");
  }

  @Test
  void spikingCnnAgreesForwardAndBackward() throws Exception {
    OpenClDevices.require();
    SpikingCnn a = new SpikingCnn(1, 10, 4, Lif.Options.defaults(), Rng.seeded(1));
    SpikingCnn b = new SpikingCnn(1, 10, 4, Lif.Options.defaults(), Rng.seeded(1));
    makeDyadic(a, Rng.seeded(3));
    makeDyadic(b, Rng.seeded(3));
    agree(a, b, Digits.images(Digits.load().features().slice(0, 0, 8)), "spiking CNN");
  }
}
