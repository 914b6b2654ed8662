package org.incipit.tensor.opencl;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.incipit.tensor.Device;
import org.junit.jupiter.api.Test;

/**
 * Where OpenCL has no platform, the engine still works on the CPU and asking for OpenCL gives one
 * clear error. Run in a child JVM whose ICD loader looks for vendors in an empty place.
 */
class OpenClUnavailableTest {
  /** The child: prints the devices, then the error of Device.opencl(). */
  public static void main(String[] args) {
    System.out.println("available=" + Device.available());
    try {
      Device.opencl();
      System.out.println("opencl=present");
    } catch (OpenClUnavailableException e) {
      System.out.println("error=" + e.getMessage());
    }
  }

  @Test
  void withoutAPlatformOnlyTheCpuIsListedAndOpenClSaysWhatToInstall() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"), OpenClUnavailableTest.class.getName());
    pb.environment().put("OCL_ICD_VENDORS", "/nonexistent-incipit-test");
    pb.environment().remove("OPENCL_VENDOR_PATH");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    List<String> lines = out.lines().filter(l -> l.startsWith("available=") || l.startsWith("error=")).toList();
    assertEquals(List.of("available=[cpu]"), lines.subList(0, 1), out);
    String error = lines.get(1);
    assertTrue(error.startsWith("error=OpenCL is unavailable: "), error);
    assertTrue(error.contains("apt-get install pocl-opencl-icd ocl-icd-libopencl1"), error);
  }
}
