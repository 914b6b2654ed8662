package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.models.nets.KatMixer;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.nn.kan.BSplineGrid;
import org.incipit.nn.kan.Denominator;
import org.incipit.nn.kan.GroupRational;
import org.incipit.nn.kan.KanLinear;
import org.incipit.nn.kan.KatBlock;
import org.incipit.nn.kan.RationalPreset;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.MemoryScope;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The KAN layers agree on the CPU and on OpenCL, forward and backward: the output, and the gradient
 * of sum(output · G) for a fixed random G with respect to the input and every parameter. Each layer
 * is built twice from the same seed (so the parameters are bit-identical) and moved to its device.
 * Tolerance per tensor: |opencl − cpu| ≤ 10⁻⁴·max|cpu| + 10⁻⁵ (float32, sums in different orders).
 */
class KanAgreementTest {
  @Test
  void bSplineKanLayerAgrees() {
    Tensor x = Tensors.randn(Rng.seeded(1), 5, 6).mul(0.9); // inside, across and beyond the grid
    agree("KanLinear", () -> new KanLinear(6, 4, Rng.seeded(2)), x);
    BSplineGrid quadratic = new BSplineGrid(4, 2, -2, 1);
    agree("KanLinear (k = 2, no scaler)", () -> new KanLinear(6, 3,
        KanLinear.Options.defaults().withGrid(quadratic).withStandaloneScaleSpline(false), Rng.seeded(3)), x);
  }

  @Test
  void groupRationalAgreesInBothForms() {
    Tensor x = Tensors.randn(Rng.seeded(4), 3, 5, 16).mul(1.5);
    for (Denominator form : Denominator.values()) {
      agree("GroupRational " + form, () -> {
        GroupRational r = new GroupRational(16, 4, RationalPreset.GELU, form, Rng.seeded(5));
        double[] b = Rng.seeded(6).normal(16, 0, 0.3); // trained-looking, signs mixed, per group
        r.denominator().assign(Tensors.of(DType.F32, b, 4, 4));
        return r;
      }, x);
    }
  }

  @Test
  void katBlockAndKatMixerAgree() {
    Tensor x = Tensors.randn(Rng.seeded(7), 2, 3, 8);
    for (Denominator form : Denominator.values()) {
      agree("KatBlock " + form, () -> new KatBlock(8, 16, 8,
          KatBlock.Options.defaults().withGroups(4).withForm(form).withActivation(RationalPreset.GELU), Rng.seeded(8)), x);
    }
    Tensor pixels = Tensors.rand(Rng.seeded(9), 4, 64);
    agree("KatMixer", () -> new KatMixer(KatMixer.Config.small(KatMixer.ChannelMlp.KAT), Rng.seeded(10)), pixels);
  }

  private static void agree(String what, Supplier<Layer> make, Tensor x) {
    Device cl = OpenClDevices.require();
    try (MemoryScope scope = MemoryScope.open()) { // releases this case's device buffers
      List<double[]> cpu = run(make.get(), x, Device.cpu());
      List<double[]> gpu = run(make.get(), x, cl);
      assertEquals(cpu.size(), gpu.size());
      for (int i = 0; i < cpu.size(); i++) {
        assertClose(cpu.get(i), gpu.get(i), what + (i == 0 ? ": output" : i == 1 ? ": input gradient"
            : ": gradient of parameter " + (i - 2)));
      }
    }
  }

  /** Output, input gradient and parameter gradients (registration order) on {@code device}. */
  private static List<double[]> run(Layer layer, Tensor x, Device device) {
    layer.to(DType.F32, device);
    Tensor in = x.to(device).withGrad();
    Tensor out = layer.forward(in);
    Tensor g = Tensors.of(DType.F32, Rng.seeded(99).normal(out.numel()), out.shape(), device);
    Gradients grads = out.backward(g);
    List<double[]> values = new ArrayList<>(List.of(out.toDoubles(), grads.of(in).toDoubles()));
    for (Parameter p : layer.parameters()) {
      values.add(grads.orZeros(p.value()).toDoubles());
    }
    return values;
  }

  private static void assertClose(double[] want, double[] got, String what) {
    assertEquals(want.length, got.length, what + ": size");
    double scale = 0;
    for (double w : want) {
      scale = Math.max(scale, Math.abs(w));
    }
    double tol = 1e-4 * scale + 1e-5;
    for (int i = 0; i < want.length; i++) {
      assertTrue(Math.abs(got[i] - want[i]) <= tol, what + ": element " + i + " cpu " + want[i] + " opencl " + got[i]);
    }
  }
}
