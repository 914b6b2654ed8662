package org.incipit.tensor.opencl;

/**
 * What the backend knows about its OpenCL device.
 *
 * @param name the device name ({@code CL_DEVICE_NAME})
 * @param platform the platform name ({@code CL_PLATFORM_NAME})
 * @param fp64 whether the device has {@code cl_khr_fp64} (F64 tensors, double accumulation)
 * @param correctlyRoundedDivSqrt whether float division and sqrt can be correctly rounded
 * @param maxWorkGroup the largest work-group size
 * @param localMem bytes of local memory per work-group
 * @param globalMem bytes of global memory
 * @param computeUnits the number of compute units
 * @param cpu whether the device is a CPU ({@code CL_DEVICE_TYPE_CPU}, as POCL's), which wants
 *     wide vectors and few work-items rather than a GPU's many threads
 */
public record OpenClInfo(String name, String platform, boolean fp64, boolean correctlyRoundedDivSqrt,
                         long maxWorkGroup, long localMem, long globalMem, int computeUnits, boolean cpu) {}
