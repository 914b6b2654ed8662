package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.incipit.tensor.Device;
import org.incipit.tensor.opencl.OpenClBackend;

/** The OpenCL device the tests of this package run on, or a clean skip where there is none. */
final class OpenClDevices {
  private OpenClDevices() {}

  /** {@link Device#selectedOpenCl()}; aborts (skips) the calling test with the reason without one. */
  static Device require() {
    Optional<Device> d = Device.selectedOpenCl();
    assumeTrue(d.isPresent(), OpenClDevices::why);
    return d.get();
  }

  static String why() {
    String problem = Device.openClProblem();
    return "OpenCL test skipped: " + (problem != null ? problem : "INCIPIT_DEVICE=" + System.getenv("INCIPIT_DEVICE"));
  }

  static OpenClBackend backend(Device d) {
    return (OpenClBackend) d.backend();
  }
}
