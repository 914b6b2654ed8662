package org.incipit.tensor.opencl;

/**
 * Thrown when an OpenCL device is requested where none can be used. The message says what is
 * missing (the JOCL library, the OpenCL loader, a platform, a device) and how to install it.
 */
public final class OpenClUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** How to get an OpenCL runtime, appended to every message. */
  static final String HOW_TO_INSTALL = "Install an OpenCL runtime: on Debian/Ubuntu "
      + "`apt-get install pocl-opencl-icd ocl-icd-libopencl1` (POCL runs OpenCL on the CPU), or the OpenCL "
      + "driver of your GPU vendor (its ICD file goes in /etc/OpenCL/vendors or a folder named by OCL_ICD_VENDORS).";

  OpenClUnavailableException(String what, Throwable cause) {
    super("OpenCL is unavailable: " + what + ". " + HOW_TO_INSTALL, cause);
  }
}
