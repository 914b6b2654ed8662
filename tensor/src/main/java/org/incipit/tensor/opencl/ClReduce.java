package org.incipit.tensor.opencl;

import static org.incipit.tensor.opencl.OpenClBackend.clType;

import org.incipit.tensor.Backend.Reduction;
import org.incipit.tensor.DType;
import org.jocl.cl_kernel;

/**
 * Reductions ({@code kernels/reduce.cl}). Few outputs over a long axis use a tree reduction, one
 * work-group per output; many outputs use one work-item per output folding the axis in order.
 * The choice depends on the shape only, so results are deterministic.
 *
 * <p>SUM accumulates in double where the device has fp64 (as the CPU does), else in float (F32)
 * or long (integers). MAX and ARGMAX compare in the element type.
 */
final class ClReduce {
  /** Outputs below this count, over an axis longer than {@link #GROUP_MIN_N}, use the tree. */
  static final int GROUP_MAX_OUTPUTS = 4096;
  static final int GROUP_MIN_N = 64;
  private static final int SERIAL_LOCAL = 64;

  private final OpenClBackend be;
  private final String source = ClDevice.resource("reduce.cl");
  private final int wg;

  ClReduce(OpenClBackend be) {
    this.be = be;
    this.wg = (int) Math.min(256, Long.highestOneBit(be.info().maxWorkGroup()));
  }

  OpenClBuffer reduce(Reduction kind, OpenClBuffer x, int outer, int n, int inner) {
    kind.check(x.size(), outer, n, inner);
    int outputs = outer * inner;
    if (n == 0) { // an empty sum
      return (OpenClBuffer) be.zeros(x.dtype(), outputs);
    }
    OpenClBuffer out = be.allocate(kind == Reduction.ARGMAX ? DType.I64 : x.dtype(), outputs);
    if (outputs < GROUP_MAX_OUTPUTS && n > GROUP_MIN_N) {
      be.device().launch(kernel(kind, x.dtype(), "reduce_group"), (long) outputs * wg, wg, x, out, n, inner);
    } else {
      be.device().launch(kernel(kind, x.dtype(), "reduce_serial"), outputs, SERIAL_LOCAL, x, out, n, inner, outputs);
    }
    return out;
  }

  private cl_kernel kernel(Reduction kind, DType t, String name) {
    return be.device().kernel("reduce|" + kind + "|" + t + "|" + wg, name, () -> header(kind, t) + source, "");
  }

  /** The #defines of the reduction program (built only on the first use of its key). */
  private String header(Reduction kind, DType t) {
    String acc = kind != Reduction.SUM ? clType(t)
        : be.supportsF64() ? "double" : t.isFloating() ? "float" : "long";
    String store = switch (t) {
      case F32, F64 -> "(" + clType(t) + ")(v)";
      case I32 -> "convert_int_sat_rtz(v)";
      case I64 -> acc.equals("long") ? "(v)" : "convert_long_sat_rtz(v)";
      case BOOL -> "(uchar)((v) != 0)";
    };
    String lowest = switch (t) {
      case F32, F64 -> "(-INFINITY)";
      case I32 -> "INT_MIN";
      case I64 -> "LONG_MIN";
      case BOOL -> "0";
    };
    return ClElementwise.pragmas(acc.equals("double") || t == DType.F64) + "\n"
        + ClDevice.defines("T", clType(t), "OUT", kind == Reduction.ARGMAX ? "long" : clType(t), "ACC", acc,
            "KIND", kind.ordinal(), "IS_FLOAT", t.isFloating() ? 1 : 0, "LOWEST", lowest, "WG", wg, "STORE(v)", store);
  }
}
