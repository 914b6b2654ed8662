package org.incipit.tensor.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * One OpenCL device as the backend uses it: a context, one in-order command queue, the program
 * cache and the kernel launcher. Programs are built once per source key (a key determines its
 * source and build options) and kept for the life of the JVM. Kernels are launched asynchronously: no launch waits for its own result,
 * only {@link #throttle()} keeps the host from running unboundedly far ahead of the device.
 *
 * <p>A {@code cl_kernel} holds its arguments, so setting them and enqueueing happen under one lock.
 */
final class ClDevice {
  final cl_device_id device;
  final cl_context context;
  final cl_command_queue queue;
  final OpenClInfo info;
  private final Map<String, cl_program> programs = new ConcurrentHashMap<>();
  private final Map<String, cl_kernel> kernels = new ConcurrentHashMap<>();
  static final int MAX_AHEAD = 1024;
  static final int FLUSH_EVERY = 64;
  private final AtomicLong launches = new AtomicLong();
  private cl_event lastMarker;

  ClDevice(cl_platform_id platform, cl_device_id device) {
    this.device = device;
    this.info = info(platform, device);
    cl_context_properties props = new cl_context_properties();
    props.addProperty(CL_CONTEXT_PLATFORM, platform);
    this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
    this.queue = createQueue(context, device);
  }

  @SuppressWarnings("deprecation")
  private static cl_command_queue createQueue(cl_context context, cl_device_id device) {
    try {
      return clCreateCommandQueueWithProperties(context, device, new cl_queue_properties(), null);
    } catch (CLException | UnsatisfiedLinkError e) { // an OpenCL 1.x platform
      return clCreateCommandQueue(context, device, 0, null);
    }
  }

  private static OpenClInfo info(cl_platform_id p, cl_device_id d) {
    String ext = string(d, CL_DEVICE_EXTENSIONS);
    long doubleConfig = ext.contains("cl_khr_fp64") ? longInfo(d, CL_DEVICE_DOUBLE_FP_CONFIG) : 0;
    long singleConfig = longInfo(d, CL_DEVICE_SINGLE_FP_CONFIG);
    return new OpenClInfo(string(d, CL_DEVICE_NAME).trim(), string(p, CL_PLATFORM_NAME).trim(), doubleConfig != 0,
        (singleConfig & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0, sizeInfo(d, CL_DEVICE_MAX_WORK_GROUP_SIZE),
        longInfo(d, CL_DEVICE_LOCAL_MEM_SIZE), longInfo(d, CL_DEVICE_GLOBAL_MEM_SIZE),
        (int) intInfo(d, CL_DEVICE_MAX_COMPUTE_UNITS), (longInfo(d, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_CPU) != 0);
  }

  static String string(cl_platform_id p, int param) {
    long[] size = new long[1];
    clGetPlatformInfo(p, param, 0, null, size);
    byte[] b = new byte[(int) size[0]];
    clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
    return cString(b);
  }

  static String string(cl_device_id d, int param) {
    long[] size = new long[1];
    clGetDeviceInfo(d, param, 0, null, size);
    byte[] b = new byte[(int) size[0]];
    clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
    return cString(b);
  }

  private static String cString(byte[] b) {
    int n = b.length;
    while (n > 0 && b[n - 1] == 0) {
      n--;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  private static long longInfo(cl_device_id d, int param) {
    long[] v = new long[1];
    clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
    return v[0];
  }

  private static long intInfo(cl_device_id d, int param) {
    int[] v = new int[1];
    clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
    return v[0];
  }

  private static long sizeInfo(cl_device_id d, int param) {
    long[] v = new long[1];
    clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
    return v[0];
  }

  /** The text of resource {@code kernels/NAME}. */
  static String resource(String name) {
    try (InputStream in = ClDevice.class.getResourceAsStream("/kernels/" + name)) {
      if (in == null) {
        throw new IllegalStateException("OpenCL kernel source kernels/" + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read kernels/" + name, e);
    }
  }

  /** {@code #define} lines for name/value pairs, to put in front of a kernel source. */
  static String defines(Object... nameValue) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < nameValue.length; i += 2) {
      sb.append("#define ").append(nameValue[i]).append(' ').append(nameValue[i + 1]).append('\n');
    }
    return sb.toString();
  }

  /**
   * Kernel {@code kernelName} of the program cached under {@code key}, building it from
   * {@code source} with {@code options} the first time (build errors carry the compiler log).
   */
  cl_kernel kernel(String key, String kernelName, Supplier<String> source, String options) {
    return kernels.computeIfAbsent(key + "#" + kernelName,
        k -> clCreateKernel(programs.computeIfAbsent(key, p -> build(key, source.get(), options)), kernelName, null));
  }

  private cl_program build(String key, String source, String options) {
    cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
    try {
      clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null);
    } catch (CLException e) {
      long[] size = new long[1];
      clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
      byte[] log = new byte[(int) size[0]];
      clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
      clReleaseProgram(program);
      throw new IllegalStateException("OpenCL program '" + key + "' failed to build on " + info.name()
          + " with options '" + options + "': " + e.getMessage() + "\n" + cString(log) + "\n--- source ---\n" + source, e);
    }
    return program;
  }

  /** Number of programs built so far (for tests of the cache). */
  int programCount() {
    return programs.size();
  }

  /**
   * Enqueues {@code kernel} over {@code global} work-items (each rounded up to a multiple of
   * {@code local}) without waiting. Arguments: {@link OpenClBuffer}, {@link cl_mem}, Integer,
   * Long, Float, Double, or an {@code int[]} passed by value as a struct of ints.
   */
  void launch(cl_kernel kernel, long[] global, long[] local, Object... args) {
    long[] g = global.clone();
    for (int i = 0; i < g.length; i++) {
      if (g[i] == 0) {
        return;
      }
      g[i] = (g[i] + local[i] - 1) / local[i] * local[i];
    }
    synchronized (kernel) {
      for (int i = 0; i < args.length; i++) {
        setArg(kernel, i, args[i]);
      }
      clEnqueueNDRangeKernel(queue, kernel, g.length, null, g, local, 0, null, null);
    }
    throttle();
  }

  /**
   * Keeps the host at most about {@value #MAX_AHEAD} launches ahead of the device, so a loop that
   * never reads back cannot queue unbounded work (and hold the memory of buffers it already
   * released): every {@value #MAX_AHEAD}/2 launches a marker is enqueued and the previous marker is
   * waited for. The queue is flushed every {@value #FLUSH_EVERY} launches so the device starts early.
   */
  private void throttle() {
    long n = launches.incrementAndGet();
    if (n % FLUSH_EVERY == 0) {
      clFlush(queue);
    }
    if (n % (MAX_AHEAD / 2) == 0) {
      cl_event marker = new cl_event();
      cl_event wait;
      synchronized (this) {
        clEnqueueMarkerWithWaitList(queue, 0, null, marker);
        wait = lastMarker;
        lastMarker = marker;
      }
      if (wait != null) {
        clWaitForEvents(1, new cl_event[] {wait});
        clReleaseEvent(wait);
      }
    }
  }

  /** A one-dimensional {@link #launch}. */
  void launch(cl_kernel kernel, long global, long local, Object... args) {
    launch(kernel, new long[] {global}, new long[] {local}, args);
  }

  private static void setArg(cl_kernel k, int i, Object a) {
    if (a instanceof OpenClBuffer b) {
      clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(b.mem()));
    } else if (a instanceof cl_mem m) {
      clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
    } else if (a instanceof Integer v) {
      clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
    } else if (a instanceof Long v) {
      clSetKernelArg(k, i, Sizeof.cl_long, Pointer.to(new long[] {v}));
    } else if (a instanceof Float v) {
      clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
    } else if (a instanceof Double v) {
      clSetKernelArg(k, i, Sizeof.cl_double, Pointer.to(new double[] {v}));
    } else if (a instanceof int[] v) {
      clSetKernelArg(k, i, (long) Sizeof.cl_int * v.length, Pointer.to(v));
    } else {
      throw new IllegalArgumentException("unsupported kernel argument " + a);
    }
  }

  /** Blocks until every command enqueued so far has finished. */
  void finish() {
    clFinish(queue);
  }
}
