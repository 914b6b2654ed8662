package org.incipit.tensor.opencl;

import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetPlatformIDs;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The OpenCL devices of this machine, probed once per JVM on first use and never before: nothing
 * outside this package touches JOCL, so the engine runs unchanged where OpenCL is absent.
 *
 * <p>Devices are numbered across platforms in the loader's order (platform 0's devices first);
 * {@code opencl:N} names device N of that list. Each device gets one {@link OpenClBackend} for the
 * life of the JVM, so its programs are built once.
 */
public final class OpenCl {
  private static List<OpenClBackend> backends;
  private static OpenClUnavailableException failure;

  private OpenCl() {}

  /**
   * One backend per OpenCL device, in device order.
   *
   * @throws OpenClUnavailableException naming what is missing when no device can be used
   */
  public static synchronized List<OpenClBackend> backends() {
    if (backends == null && failure == null) {
      try {
        backends = List.copyOf(probe());
      } catch (OpenClUnavailableException e) {
        failure = e;
      } catch (LinkageError e) { // JOCL's jar or native library, or the OpenCL loader, is missing
        failure = new OpenClUnavailableException(describe(e), e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return backends;
  }

  /** The backend of device {@code index}. */
  public static OpenClBackend backend(int index) {
    List<OpenClBackend> all = backends();
    if (index < 0 || index >= all.size()) {
      throw new IllegalArgumentException("no OpenCL device opencl:" + index + "; present: " + all);
    }
    return all.get(index);
  }

  /** The first backend whose device or platform name contains {@code nameSubstring} (ignoring case). */
  public static OpenClBackend backend(String nameSubstring) {
    String want = nameSubstring.toLowerCase(java.util.Locale.ROOT);
    for (OpenClBackend b : backends()) {
      if (b.name().toLowerCase(java.util.Locale.ROOT).contains(want)
          || b.info().platform().toLowerCase(java.util.Locale.ROOT).contains(want)) {
        return b;
      }
    }
    throw new IllegalArgumentException("no OpenCL device name contains '" + nameSubstring + "'; present: " + backends());
  }

  private static List<OpenClBackend> probe() {
    CL.setExceptionsEnabled(true);
    int[] count = new int[1];
    try {
      clGetPlatformIDs(0, null, count);
    } catch (CLException e) { // CL_PLATFORM_NOT_FOUND_KHR from the ICD loader
      throw new OpenClUnavailableException("the OpenCL loader found no platform (" + e.getMessage()
          + "; no ICD registered in /etc/OpenCL/vendors)", e);
    }
    cl_platform_id[] platforms = new cl_platform_id[count[0]];
    clGetPlatformIDs(platforms.length, platforms, null);
    List<OpenClBackend> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (cl_platform_id p : platforms) {
      for (cl_device_id d : devices(p)) {
        try {
          out.add(new OpenClBackend(new ClDevice(p, d), out.size()));
        } catch (CLException e) {
          problems.add(ClDevice.string(p, CL_PLATFORM_NAME) + ": " + e.getMessage());
        }
      }
    }
    if (out.isEmpty()) {
      throw new OpenClUnavailableException(platforms.length + " OpenCL platform(s) but no usable device"
          + (problems.isEmpty() ? "" : " " + problems), null);
    }
    return out;
  }

  private static cl_device_id[] devices(cl_platform_id p) {
    int[] n = new int[1];
    try {
      clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
    } catch (CLException e) {
      if (e.getStatus() == CL_DEVICE_NOT_FOUND) {
        return new cl_device_id[0];
      }
      throw e;
    }
    cl_device_id[] ids = new cl_device_id[n[0]];
    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
    return ids;
  }

  private static String describe(LinkageError e) {
    if (e instanceof NoClassDefFoundError) {
      return "the JOCL library (org.jocl:jocl) is not on the class path, or failed to load earlier ("
          + e.getMessage() + ")";
    }
    return "no OpenCL loader (libOpenCL.so.1) could be loaded (" + e.getMessage() + ")";
  }
}
