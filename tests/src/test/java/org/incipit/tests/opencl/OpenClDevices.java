package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.incipit.tensor.Device;
import org.incipit.tensor.opencl.OpenClBackend;

/** The OpenCL device the tests of this package run on, or a clean skip where there is none. */
final class OpenClDevices {
  private OpenClDevices() {}

  /**
   * The device INCIPIT_DEVICE names when it names an OpenCL device, else the first OpenCL device.
   * Aborts (skips) the calling test with the reason when OpenCL is unavailable.
   */
  static Device require() {
    List<Device> devices = Device.available();
    assumeTrue(devices.size() > 1, () -> "no OpenCL device, test skipped: " + Device.openClProblem());
    String env = System.getenv("INCIPIT_DEVICE");
    return env != null && env.trim().startsWith("opencl") ? Device.fromEnvironment() : devices.get(1);
  }

  static OpenClBackend backend(Device d) {
    return (OpenClBackend) d.backend();
  }
}
