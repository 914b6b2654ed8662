package org.incipit.tensor.cpu;

import org.incipit.tensor.DType;
import org.incipit.tensor.Kernel;
import org.incipit.tensor.Layout;

/**
 * Binary kernels over broadcast views without materialising them. Two patterns cover almost every
 * broadcast in a network and run as tight loops over float arrays:
 * <ul>
 *   <li><b>tiled</b> — a view that repeats a contiguous block of K elements (a bias (C) added to
 *       (N, C), stride 0 on the leading axes);</li>
 *   <li><b>stretched</b> — a view that repeats each element K times (a (N, 1) mean subtracted from
 *       (N, C), stride 0 on the trailing axes).</li>
 * </ul>
 * For anything else {@link #binary} returns null, and the backend takes the default path of
 * {@link org.incipit.tensor.Backend}: gather both views, then the elementwise kernel.
 */
final class CpuBroadcast {
  private CpuBroadcast() {}

  /** How a view maps output position i to a buffer index: contiguous, tiled by K or stretched by K. */
  private record Access(int kind, int k, int offset) {
    static final int CONTIGUOUS = 0;
    static final int TILED = 1;
    static final int STRETCHED = 2;

    int index(int i) {
      return offset + switch (kind) {
        case CONTIGUOUS -> i;
        case TILED -> i % k;
        default -> i / k;
      };
    }
  }

  /** The result, or null when a view is neither pattern (or the kernel is not a float32 arithmetic one). */
  static CpuBuffer binary(Kernel.Binary kernel, CpuBuffer a, Layout av, CpuBuffer b, Layout bv) {
    Access pa = access(av);
    Access pb = access(bv);
    if (pa == null || pb == null || a.dtype() != DType.F32 || b.dtype() != DType.F32 || kernel.predicate()) {
      return null;
    }
    if (av.isWhole(a.size()) && bv.isWhole(b.size())) {
      return CpuElementwise.binary(kernel, a, b);
    }
    int n = av.shape().numel();
    CpuBuffer out = CpuBuffer.allocate(DType.F32, n);
    int op = switch (kernel.name()) {
      case "add" -> 0;
      case "sub" -> 1;
      case "mul" -> 2;
      case "div" -> 3;
      default -> 4;
    };
    if (pa.kind() == Access.CONTIGUOUS && pb.kind() != Access.CONTIGUOUS) {
      rows(op, kernel.cpu(), a.f32(), pa.offset(), b.f32(), pb, out.f32(), n, false);
    } else if (pb.kind() == Access.CONTIGUOUS && pa.kind() != Access.CONTIGUOUS) {
      rows(op, kernel.cpu(), b.f32(), pb.offset(), a.f32(), pa, out.f32(), n, true);
    } else {
      float[] x = a.f32();
      float[] y = b.f32();
      float[] o = out.f32();
      Parallel.range(n, CpuBackend.GRAIN / 2, (f, t) -> {
        for (int i = f; i < t; i++) {
          o[i] = apply(op, kernel.cpu(), x[pa.index(i)], y[pb.index(i)]);
        }
      });
    }
    return out;
  }

  /**
   * o = f(x, y) (or f(y, x) when {@code swapped}) with x contiguous from {@code xOff} and y read
   * through a tiled or stretched access, row by row (a row is K elements).
   */
  private static void rows(int op, Kernel.BinaryFn fn, float[] x, int xOff, float[] y, Access ya, float[] o, int n,
                           boolean swapped) {
    int k = ya.k();
    int rows = k == 0 ? 0 : n / k;
    int yOff = ya.offset();
    boolean tiled = ya.kind() == Access.TILED;
    int code = swapped && op == 1 ? 5 : swapped && op == 3 ? 6 : op; // f(y, x) for the non-commutative ones
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, k)), (f, t) -> {
      for (int r = f; r < t; r++) {
        int base = r * k;
        if (tiled) {
          rowRow(code, fn, swapped, x, xOff + base, y, yOff, o, base, k);
        } else {
          rowScalar(code, fn, swapped, x, xOff + base, y[yOff + r], o, base, k);
        }
      }
    });
  }

  /** o[oo..] = x[xo..] ⋆ y[yo..] over len elements; one plain loop per op so the JIT vectorises it. */
  private static void rowRow(int code, Kernel.BinaryFn fn, boolean swapped, float[] x, int xo, float[] y, int yo,
                             float[] o, int oo, int len) {
    switch (code) {
      case 0 -> { for (int j = 0; j < len; j++) { o[oo + j] = x[xo + j] + y[yo + j]; } }
      case 1 -> { for (int j = 0; j < len; j++) { o[oo + j] = x[xo + j] - y[yo + j]; } }
      case 2 -> { for (int j = 0; j < len; j++) { o[oo + j] = x[xo + j] * y[yo + j]; } }
      case 3 -> { for (int j = 0; j < len; j++) { o[oo + j] = x[xo + j] / y[yo + j]; } }
      case 5 -> { for (int j = 0; j < len; j++) { o[oo + j] = y[yo + j] - x[xo + j]; } }
      case 6 -> { for (int j = 0; j < len; j++) { o[oo + j] = y[yo + j] / x[xo + j]; } }
      default -> {
        for (int j = 0; j < len; j++) {
          float p = x[xo + j];
          float q = y[yo + j];
          o[oo + j] = swapped ? (float) fn.apply(q, p) : (float) fn.apply(p, q);
        }
      }
    }
  }

  /** o[oo..] = x[xo..] ⋆ q over len elements. */
  private static void rowScalar(int code, Kernel.BinaryFn fn, boolean swapped, float[] x, int xo, float q, float[] o,
                                int oo, int len) {
    switch (code) {
      case 0 -> { for (int j = 0; j < len; j++) { o[oo + j] = x[xo + j] + q; } }
      case 1 -> { for (int j = 0; j < len; j++) { o[oo + j] = x[xo + j] - q; } }
      case 2 -> { for (int j = 0; j < len; j++) { o[oo + j] = x[xo + j] * q; } }
      case 3 -> { for (int j = 0; j < len; j++) { o[oo + j] = x[xo + j] / q; } }
      case 5 -> { for (int j = 0; j < len; j++) { o[oo + j] = q - x[xo + j]; } }
      case 6 -> { for (int j = 0; j < len; j++) { o[oo + j] = q / x[xo + j]; } }
      default -> {
        for (int j = 0; j < len; j++) {
          float p = x[xo + j];
          o[oo + j] = swapped ? (float) fn.apply(q, p) : (float) fn.apply(p, q);
        }
      }
    }
  }

  private static float apply(int op, Kernel.BinaryFn fn, float p, float q) {
    return switch (op) {
      case 0 -> p + q;
      case 1 -> p - q;
      case 2 -> p * q;
      case 3 -> p / q;
      default -> (float) fn.apply(p, q);
    };
  }

  /** The access pattern of {@code view}, or null when it is none of the three. */
  private static Access access(Layout view) {
    int[] dims = view.shape().dims();
    int[] st = view.strides();
    int r = dims.length;
    // split at the first axis (from the right) where "stride 0" starts or stops
    int j = r;
    while (j > 0 && (dims[j - 1] == 1 || st[j - 1] != 0)) {
      j--;
    }
    int inner = 1;
    boolean contiguousTail = true;
    for (int i = r - 1; i >= j; i--) {
      if (dims[i] != 1 && st[i] != inner) {
        contiguousTail = false;
      }
      inner *= dims[i];
    }
    boolean zeroHead = true;
    for (int i = 0; i < j; i++) {
      zeroHead &= dims[i] == 1 || st[i] == 0;
    }
    if (contiguousTail && zeroHead) {
      return j == 0 ? new Access(Access.CONTIGUOUS, 1, view.offset()) : new Access(Access.TILED, inner, view.offset());
    }
    // stretched: contiguous head, stride 0 tail
    int k = r;
    int tail = 1;
    while (k > 0 && (dims[k - 1] == 1 || st[k - 1] == 0)) {
      tail *= dims[k - 1];
      k--;
    }
    int expect = 1;
    for (int i = k - 1; i >= 0; i--) {
      if (dims[i] != 1 && st[i] != expect) {
        return null;
      }
      expect *= dims[i];
    }
    return new Access(Access.STRETCHED, tail, view.offset());
  }
}
