package org.incipit.tensor;

/**
 * An elementwise computation as the backends see it: a name (the OpenCL program cache key), a CPU
 * function in double precision (the readable reference) and an OpenCL C expression over the
 * operands {@code a}, {@code b} and the scalar {@code s}.
 *
 * <p>A {@code predicate} kernel yields BOOL (its CPU function returns 0 or 1); any other kernel
 * yields the (promoted) input type.
 */
public sealed interface Kernel permits Kernel.Unary, Kernel.Binary {
  String name();

  String openCl();

  boolean predicate();

  /** f(a, s): one tensor operand and one scalar parameter (unused by most kernels). */
  @FunctionalInterface
  interface UnaryFn {
    double apply(double a, double s);
  }

  /** f(a, b): two tensor operands of the same size. */
  @FunctionalInterface
  interface BinaryFn {
    double apply(double a, double b);
  }

  record Unary(String name, UnaryFn cpu, String openCl, boolean predicate) implements Kernel {}

  record Binary(String name, BinaryFn cpu, String openCl, boolean predicate) implements Kernel {}

  static Unary unary(String name, UnaryFn cpu, String openCl) {
    return new Unary(name, cpu, openCl, false);
  }

  static Binary binary(String name, BinaryFn cpu, String openCl) {
    return new Binary(name, cpu, openCl, false);
  }

  static Binary predicate(String name, BinaryFn cpu, String openCl) {
    return new Binary(name, cpu, openCl, true);
  }
}
