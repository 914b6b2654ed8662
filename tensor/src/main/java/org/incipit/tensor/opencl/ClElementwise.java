package org.incipit.tensor.opencl;

import static org.incipit.tensor.opencl.OpenClBackend.clType;

import org.incipit.tensor.DType;
import org.incipit.tensor.Kernel;
import org.jocl.cl_kernel;

/**
 * Elementwise kernels and casts. Each {@link Kernel}'s OpenCL expression is pasted into the one
 * template {@code kernels/elementwise.cl}; the program is built the first time a (kernel, dtype)
 * pair runs and cached.
 *
 * <p>The expression is evaluated in {@code comp}: float for F32, double for F64, and double for
 * integer/boolean inputs and for every predicate (so {@code a < s} compares exactly as the CPU's
 * double comparison does) where the device has fp64 — float otherwise. The result is stored as
 * the output type: rounded to float, truncated and saturated to integers (NaN to 0, as Java's
 * casts), non-zero to true for BOOL. F32 programs treat literals as float
 * ({@code -cl-single-precision-constant}) and, where the device can, divide and take square roots
 * correctly rounded, so +, −, ×, ÷ and √ give the CPU's bits.
 */
final class ClElementwise {
  static final int LOCAL = 64;

  private final OpenClBackend be;
  private final String template = ClDevice.resource("elementwise.cl");
  private final String castTemplate = ClDevice.resource("cast.cl");

  ClElementwise(OpenClBackend be) {
    this.be = be;
  }

  OpenClBuffer unary(Kernel.Unary k, OpenClBuffer x, double s) {
    DType comp = comp(k, x.dtype());
    OpenClBuffer out = be.allocate(k.predicate() ? DType.BOOL : x.dtype(), x.size());
    cl_kernel kernel = kernel(k, x.dtype(), comp, 1);
    be.device().launch(kernel, x.size(), LOCAL, x, out, comp == DType.F32 ? (Object) (float) s : (Object) s, x.size());
    return out;
  }

  OpenClBuffer binary(Kernel.Binary k, OpenClBuffer a, OpenClBuffer b) {
    if (a.dtype() != b.dtype() || a.size() != b.size()) {
      throw new IllegalArgumentException(be.name() + " " + k.name() + ": operands " + a.dtype() + "[" + a.size()
          + "] and " + b.dtype() + "[" + b.size() + "] differ");
    }
    DType comp = comp(k, a.dtype());
    OpenClBuffer out = be.allocate(k.predicate() ? DType.BOOL : a.dtype(), a.size());
    be.device().launch(kernel(k, a.dtype(), comp, 2), a.size(), LOCAL, a, b, out, a.size());
    return out;
  }

  OpenClBuffer cast(OpenClBuffer x, DType to) {
    DType from = x.dtype();
    String key = "cast|" + from + "|" + to;
    cl_kernel kernel = be.device().kernel(key, "cast", () -> castTemplate
        .replace("$PRAGMAS", pragmas(be.supportsF64()))
        .replace("$TIN", clType(from)).replace("$TOUT", clType(to)).replace("$CONVERT", conversion(from, to)), "");
    OpenClBuffer out = be.allocate(to, x.size());
    be.device().launch(kernel, x.size(), LOCAL, x, out, x.size());
    return out;
  }

  /** The expression converting {@code a} of type {@code from} to {@code to}, as the CPU does. */
  private String conversion(DType from, DType to) {
    if (from == to) {
      return "a";
    }
    if (to == DType.I64 || to == DType.I32) {
      String wide = from.isFloating() ? "convert_long_sat_rtz(a)" : "(long) a";
      return to == DType.I64 ? wide : "(int) " + wide;
    }
    if (to == DType.BOOL) {
      return "(uchar) (a != 0)";
    }
    if (from.isFloating()) { // F32 <-> F64
      return "(" + clType(to) + ") a";
    }
    return "(" + clType(to) + ") " + (be.supportsF64() ? "(double) a" : "(float) a");
  }

  /** The type an expression is computed in (see the class comment). */
  private DType comp(Kernel k, DType in) {
    if (!k.predicate() && in.isFloating()) {
      return in;
    }
    return be.supportsF64() ? DType.F64 : DType.F32;
  }

  private cl_kernel kernel(Kernel k, DType in, DType comp, int arity) {
    DType out = k.predicate() ? DType.BOOL : in;
    String key = "elementwise|" + k.name() + "|" + in + "|" + arity + "|" + k.openCl();
    String options = comp == DType.F32 ? "-cl-single-precision-constant" : "";
    if (be.info().correctlyRoundedDivSqrt()) {
      options += " -cl-fp32-correctly-rounded-divide-sqrt";
    }
    return be.device().kernel(key, "elementwise", () -> "#define ARITY " + arity + "\n" + template
        .replace("$PRAGMAS", pragmas(comp == DType.F64 || in == DType.F64))
        .replace("$TIN", clType(in)).replace("$TOUT", clType(out)).replace("$COMP", clType(comp))
        .replace("$STORE", store(out)).replace("$EXPR", k.openCl()), options.trim());
  }

  /** Stores {@code v} (of type comp) as {@code out}. */
  private static String store(DType out) {
    return switch (out) {
      case F32 -> "(float) v";
      case F64 -> "(double) v";
      case I32 -> "convert_int_sat_rtz(v)";
      case I64 -> "convert_long_sat_rtz(v)";
      case BOOL -> "(uchar) (v != 0)";
    };
  }

  static String pragmas(boolean fp64) {
    return fp64 ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable" : "";
  }
}
