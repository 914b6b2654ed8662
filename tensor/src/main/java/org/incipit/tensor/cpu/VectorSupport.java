package org.incipit.tensor.cpu;

/**
 * Whether the CPU backend may use {@code jdk.incubator.vector}: the module is in the boot layer
 * (the launcher and surefire add it) and the system property {@code incipit.vector} is not
 * {@code false}. Classes that reference the Vector API are loaded only when this is true, so the
 * engine runs — on its plain-Java paths — without the module.
 */
public final class VectorSupport {
  /** True when the vectorised kernels run. */
  public static final boolean AVAILABLE =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && !"false".equals(System.getProperty("incipit.vector"));

  private VectorSupport() {}
}
