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
 * Anything else is gathered with {@link CpuStrided} first.
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

  static CpuBuffer binary(Kernel.Binary kernel, CpuBuffer a, Layout av, CpuBuffer b, Layout bv) {
    Access pa = access(av);
    Access pb = access(bv);
    if (pa == null || pb == null || a.dtype() != DType.F32 || b.dtype() != DType.F32 || kernel.predicate()) {
      CpuBuffer ca = gather(a, av);
      CpuBuffer cb = gather(b, bv);
      return CpuElementwise.binary(kernel, ca, cb);
    }
    if (pa.kind() == Access.CONTIGUOUS && pb.kind() == Access.CONTIGUOUS && pa.offset() == 0 && pb.offset() == 0
        && a.size() == b.size() && a.size() == av.shape().numel()) {
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
    Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, k)), (f, t) -> {
      for (int r = f; r < t; r++) {
        int base = r * k;
        for (int j = 0; j < k; j++) {
          float p = x[xOff + base + j];
          float q = tiled ? y[yOff + j] : y[yOff + r];
          o[base + j] = swapped ? apply(op, fn, q, p) : apply(op, fn, p, q);
        }
      }
    });
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

  private static CpuBuffer gather(CpuBuffer buf, Layout view) {
    return view.isContiguous() && view.offset() == 0 && buf.size() == view.shape().numel()
        ? buf : CpuStrided.copy(buf, view);
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
