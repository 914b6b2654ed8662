package org.incipit.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.incipit.tensor.cpu.CpuBackend;
import org.incipit.tensor.opencl.OpenCl;
import org.incipit.tensor.opencl.OpenClBackend;

/**
 * Where a tensor's buffer lives: a named {@link Backend}. Tensors on different devices never meet in
 * one op; {@code Tensor.to(device)} moves data explicitly.
 *
 * <ul>
 *   <li>{@link #cpu()} — always present.</li>
 *   <li>{@link #opencl()}, {@link #opencl(int)}, {@link #opencl(String)} — an OpenCL device
 *       (numbered across platforms, platform 0's devices first). Where OpenCL is missing they
 *       throw an {@link org.incipit.tensor.opencl.OpenClUnavailableException} that says what is
 *       missing and how to install it.</li>
 *   <li>{@link #available()} — what is present; it never throws.</li>
 *   <li>{@link #parse} / {@link #fromEnvironment()} — {@code cpu}, {@code opencl} or
 *       {@code opencl:N} (also {@code opencl:NAME}, a substring of a device name), e.g. from
 *       {@code INCIPIT_DEVICE}.</li>
 * </ul>
 *
 * <p>OpenCL is probed on the first call that needs it, never before: nothing here loads JOCL
 * unless an OpenCL device is requested or listed.
 */
public final class Device {
  private static final Device CPU = new Device(CpuBackend.INSTANCE);
  private static final Map<Backend, Device> OPENCL = Collections.synchronizedMap(new IdentityHashMap<>());

  private final Backend backend;

  private Device(Backend backend) {
    this.backend = backend;
  }

  /** The CPU device (always available). */
  public static Device cpu() {
    return CPU;
  }

  /** The first OpenCL device. */
  public static Device opencl() {
    return opencl(0);
  }

  /** OpenCL device {@code index}, counted across platforms. */
  public static Device opencl(int index) {
    return wrap(OpenCl.backend(index));
  }

  /** The first OpenCL device whose device or platform name contains {@code nameSubstring}. */
  public static Device opencl(String nameSubstring) {
    return wrap(OpenCl.backend(nameSubstring));
  }

  private static Device wrap(OpenClBackend backend) {
    return OPENCL.computeIfAbsent(backend, Device::new);
  }

  /**
   * The devices present on this machine: the CPU first, then every OpenCL device. Never throws;
   * when OpenCL is missing, {@link #openClProblem()} says why.
   */
  public static List<Device> available() {
    List<Device> out = new ArrayList<>();
    out.add(CPU);
    try {
      for (OpenClBackend b : OpenCl.backends()) {
        out.add(wrap(b));
      }
    } catch (RuntimeException | LinkageError e) {
      // no OpenCL devices; openClProblem() says why
    }
    return List.copyOf(out);
  }

  /** Why no OpenCL device is listed by {@link #available()}, or {@code null} when some are. */
  public static String openClProblem() {
    try {
      OpenCl.backends(); // the probe runs once per JVM; its outcome is cached
      return null;
    } catch (RuntimeException | LinkageError e) {
      return e.getMessage();
    }
  }

  /**
   * The device named by {@code spec}: {@code cpu}, {@code opencl} (device 0), {@code opencl:N} or
   * {@code opencl:NAME}. Unknown names are an error that lists the devices present.
   */
  public static Device parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return CPU;
    }
    if (s.equals("opencl")) {
      return opencl();
    }
    if (s.startsWith("opencl:")) {
      String rest = spec.trim().substring("opencl:".length());
      return rest.matches("\\d+") ? opencl(Integer.parseInt(rest)) : opencl(rest);
    }
    throw new IllegalArgumentException("unknown device '" + spec + "' (expected cpu, opencl or opencl:N; available: "
        + available() + ")");
  }

  /** The device named by the environment variable {@code INCIPIT_DEVICE}, or the CPU when unset. */
  public static Device fromEnvironment() {
    String spec = System.getenv("INCIPIT_DEVICE");
    return spec == null || spec.isBlank() ? CPU : parse(spec);
  }

  /**
   * The OpenCL device to use where one is wanted (OpenCL tests, benchmarks): the one
   * {@code INCIPIT_DEVICE} names when it names one, none when it says {@code cpu}, else the first
   * available. Empty where OpenCL is absent ({@link #openClProblem()} says why).
   */
  public static Optional<Device> selectedOpenCl() {
    String spec = System.getenv("INCIPIT_DEVICE");
    if (spec != null && spec.trim().toLowerCase(Locale.ROOT).startsWith("opencl")) {
      return Optional.of(parse(spec));
    }
    List<Device> all = available();
    return spec != null && spec.trim().equalsIgnoreCase("cpu") || all.size() < 2
        ? Optional.empty() : Optional.of(all.get(1));
  }

  /** The device of a backend's buffers. */
  public static Device of(Backend backend) {
    if (backend == CPU.backend) {
      return CPU;
    }
    if (backend instanceof OpenClBackend b) {
      return wrap(b);
    }
    throw new IllegalArgumentException("no device is registered for backend " + backend.name());
  }

  public Backend backend() {
    return backend;
  }

  /** True for the CPU device. */
  public boolean isCpu() {
    return this == CPU;
  }

  @Override
  public String toString() {
    return backend.name();
  }
}
