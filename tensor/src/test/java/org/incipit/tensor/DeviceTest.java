package org.incipit.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.incipit.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** Device naming and discovery; the OpenCL cases run where an OpenCL device exists. */
class DeviceTest {
  @Test
  void theCpuIsAlwaysAvailableAndFirst() {
    List<Device> all = Device.available();
    assertSame(Device.cpu(), all.get(0));
    assertSame(Device.cpu(), Device.parse(" CPU "));
    assertSame(Device.cpu(), Device.of(CpuBackend.INSTANCE));
    assertTrue(Device.cpu().isCpu());
    assertEquals(all.size() == 1, Device.openClProblem() != null,
        "a problem is reported exactly when OpenCL is absent");
  }

  @Test
  void unknownDeviceNamesAreErrorsListingWhatIsPresent() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
    assertTrue(e.getMessage().contains("'tpu'") && e.getMessage().contains("cpu"), e.getMessage());
  }

  @Test
  void openClDevicesAreNamedByIndexOrName() {
    List<Device> all = Device.available();
    if (all.size() == 1) {
      assertTrue(Device.selectedOpenCl().isEmpty());
      RuntimeException e = assertThrows(RuntimeException.class, Device::opencl);
      assertTrue(e.getMessage().contains("pocl-opencl-icd ocl-icd-libopencl1"), e.getMessage());
      return;
    }
    Device first = all.get(1);
    if (System.getenv("INCIPIT_DEVICE") == null) {
      assertSame(first, Device.selectedOpenCl().orElseThrow());
    }
    assertSame(first, Device.opencl());
    assertSame(first, Device.opencl(0));
    assertSame(first, Device.parse("opencl"));
    assertSame(first, Device.parse("opencl:0"));
    assertSame(first, Device.of(first.backend()));
    assertTrue(first.toString().startsWith("opencl:0 "), first.toString());
    String name = first.toString().substring("opencl:0 ".length());
    assertSame(first, Device.opencl(name.substring(0, Math.min(4, name.length())).toUpperCase()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.opencl(all.size()));
    assertTrue(e.getMessage().contains("opencl:" + all.size()), e.getMessage());
  }
}
