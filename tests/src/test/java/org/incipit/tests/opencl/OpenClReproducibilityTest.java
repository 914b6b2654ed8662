package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Device;
import org.incipit.tests.repro.ShortTraining;
import org.junit.jupiter.api.Test;

/**
 * Same seed on OpenCL: two trainings of the tiny char-GPT and the MLP of {@link ShortTraining} on
 * one OpenCL device end with bit-identical parameters (every kernel sums in a fixed order; scatter-adds
 * are sorted on the host, never atomic), and they stay close to the CPU's:
 * <pre>
 *   |loss_OpenCL − loss_CPU| ≤ 1e-5 · |loss_CPU|          final validation loss
 *   |w_OpenCL − w_CPU|       ≤ 1e-4 · (1 + |w_CPU|)        every parameter after 3 AdamW steps
 * </pre>
 * The devices round differently (OpenCL's exp, log, tanh are its own, within a few ulps; its
 * matmul sums in other blocks), about 1e-7 relative per op. On POCL the losses agree to the last
 * bit and the parameters within 5.1e-7 (gpt) and 2.3e-8 (mlp): the bounds leave a factor of 200,
 * and stay 10 times below one AdamW step (lr 1e-3 moves a weight by up to 1e-3, and a gradient
 * near zero could change sign between devices).
 */
class OpenClReproducibilityTest {
  private static final long STEPS = 3;

  @Test
  void twoRunsOnOneDeviceGiveTheSameBitsAndStayNearTheCpu() {
    Device cl = OpenClDevices.require();
    for (String model : new String[] {"gpt", "mlp"}) {
      ShortTraining.Trained first = ShortTraining.train(model, STEPS, cl);
      ShortTraining.Trained second = ShortTraining.train(model, STEPS, cl);
      ShortTraining.Trained cpu = ShortTraining.train(model, STEPS, Device.cpu());
      assertEquals(first.validationLoss(), second.validationLoss(), 0.0, model + ": loss of two OpenCL runs");
      assertEquals(cpu.validationLoss(), first.validationLoss(), 1e-5 * Math.abs(cpu.validationLoss()),
          model + ": OpenCL loss vs CPU");
      Map<String, Parameter> a = first.model().namedParameters();
      Map<String, Parameter> b = second.model().namedParameters();
      Map<String, Parameter> c = cpu.model().namedParameters();
      assertTrue(a.size() > 2, model + " has parameters");
      for (String name : a.keySet()) {
        double[] x = a.get(name).value().toDoubles();
        double[] y = b.get(name).value().toDoubles();
        double[] z = c.get(name).value().toDoubles();
        for (int i = 0; i < x.length; i++) {
          assertEquals(Double.doubleToLongBits(x[i]), Double.doubleToLongBits(y[i]),
              model + " " + name + "[" + i + "]: two OpenCL runs differ");
          assertEquals(z[i], x[i], 1e-4 * (1 + Math.abs(z[i])), model + " " + name + "[" + i + "]: OpenCL vs CPU");
        }
      }
    }
  }
}
