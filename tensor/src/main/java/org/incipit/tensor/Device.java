package org.incipit.tensor;

import java.util.List;
import org.incipit.tensor.cpu.CpuBackend;

/**
 * Where a tensor's buffer lives: a named {@link Backend}. Tensors on different devices never meet in
 * one op; {@code Tensor.to(device)} moves data explicitly.
 */
public final class Device {
  private static final Device CPU = new Device(CpuBackend.INSTANCE);

  private final Backend backend;

  private Device(Backend backend) {
    this.backend = backend;
  }

  /** The CPU device (always available). */
  public static Device cpu() {
    return CPU;
  }

  /** The devices present on this machine; the CPU is always first. */
  public static List<Device> available() {
    return List.of(CPU);
  }

  /**
   * The device named by {@code spec}: {@code cpu}. Unknown names are an error that lists the
   * devices present.
   */
  public static Device parse(String spec) {
    String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("cpu")) {
      return CPU;
    }
    throw new IllegalArgumentException("unknown device '" + spec + "' (available: " + available() + ")");
  }

  /** The device named by the environment variable {@code INCIPIT_DEVICE}, or the CPU when unset. */
  public static Device fromEnvironment() {
    String spec = System.getenv("INCIPIT_DEVICE");
    return spec == null || spec.isBlank() ? CPU : parse(spec);
  }

  /** The device of a backend's buffers. */
  public static Device of(Backend backend) {
    if (backend == CPU.backend) {
      return CPU;
    }
    throw new IllegalArgumentException("no device is registered for backend " + backend.name());
  }

  public Backend backend() {
    return backend;
  }

  @Override
  public String toString() {
    return backend.name();
  }
}
