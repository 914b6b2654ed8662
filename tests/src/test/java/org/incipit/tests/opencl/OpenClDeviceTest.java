package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Tensors on OpenCL: moving between devices, random values, and ops that mix devices. */
class OpenClDeviceTest {
  @Test
  void theSameSeedGivesBitIdenticalValuesOnCpuAndOpenCl() {
    Device cl = OpenClDevices.require();
    Rng rng = Rng.seeded(2026).fork("weights");
    Tensor cpu = Tensors.randn(rng, 33, 17);
    Tensor onCl = Tensors.randn(rng, 33, 17).to(cl);
    assertEquals(cl, onCl.device());
    assertArrayEquals(cpu.toFloats(), onCl.toFloats(), "randn");
    assertArrayEquals(Tensors.rand(rng.fork(1), 5, 5).toFloats(), Tensors.rand(rng.fork(1), 5, 5).to(cl).toFloats(), "rand");
    // a dropout mask drawn on the host and applied on each device
    Tensor keep = Tensors.rand(rng.fork("dropout"), 33, 17).lt(0.8);
    Tensor dropped = cpu.mul(keep.cast(DType.F32)).div(0.8);
    Tensor droppedCl = onCl.mul(keep.to(cl).cast(DType.F32)).div(0.8);
    assertArrayEquals(dropped.toFloats(), droppedCl.toFloats(), "mask applied on both devices");
  }

  @Test
  void movingToOpenClAndBackIsExactForEveryDtype() {
    Device cl = OpenClDevices.require();
    double[] v = {0, -1.5, 3, 7e20, -0.1, 1};
    for (DType t : DType.values()) {
      Tensor x = Tensors.of(t, v, Shape.of(2, 3), Device.cpu());
      Tensor back = x.to(cl).to(Device.cpu());
      assertArrayEquals(x.toDoubles(), back.toDoubles(), t.toString());
      assertSame(x, x.to(Device.cpu()), "already there");
    }
  }

  @Test
  void gradientsFlowBackAcrossDevices() {
    Device cl = OpenClDevices.require();
    Tensor w = Tensors.of(new float[] {1, 2, 3}, 3).withGrad();
    Tensor loss = w.to(cl).square().sum();
    Tensor g = loss.backward().of(w);
    assertEquals(Device.cpu(), g.device());
    assertArrayEquals(new float[] {2, 4, 6}, g.toFloats());
  }

  @Test
  void mixingDevicesInOneOpIsAnErrorNamingBoth() {
    Device cl = OpenClDevices.require();
    Tensor a = Tensors.ones(2, 2);
    Tensor b = Tensors.ones(2, 2).to(cl);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
    assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains(cl.toString()), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b.matmul(a));
    assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains(cl.toString()), e.getMessage());
  }
}
