package org.incipit.tensor.opencl;

import java.util.Arrays;
import org.incipit.tensor.DType;
import org.incipit.tensor.Layout;
import org.jocl.cl_kernel;

/**
 * The only OpenCL code that reads strides ({@code kernels/copy.cl}), plus {@code where}, which
 * like the copies only moves bits. A view is first simplified — axes of size 1 dropped, adjacent
 * axes that step through memory as one merged — and passed to the kernel by value; a view that
 * still has more than {@value #MAX_RANK} axes is an error.
 */
final class ClStrided {
  static final int MAX_RANK = 12;
  private static final int LOCAL = 64;

  private final OpenClBackend be;
  private final String source = ClDevice.resource("copy.cl");

  ClStrided(OpenClBackend be) {
    this.be = be;
  }

  OpenClBuffer copy(OpenClBuffer src, Layout view) {
    view.checkInside(src.size());
    int n = view.shape().numel();
    OpenClBuffer out = be.allocate(src.dtype(), n);
    be.device().launch(kernel(src.dtype(), "copy_strided"), n, LOCAL, src, out, struct(view), n);
    return out;
  }

  void scatter(OpenClBuffer dst, Layout view, OpenClBuffer src) {
    int n = view.shape().numel();
    if (src.size() != n || src.dtype() != dst.dtype()) {
      throw new IllegalArgumentException("scatterStrided: source " + src.dtype() + "[" + src.size()
          + "] does not fill view " + view.shape() + " of a " + dst.dtype() + " buffer");
    }
    view.checkInside(dst.size());
    be.device().launch(kernel(src.dtype(), "scatter_strided"), n, LOCAL, src, dst, struct(view), n);
  }

  OpenClBuffer where(OpenClBuffer cond, OpenClBuffer a, OpenClBuffer b) {
    if (cond.dtype() != DType.BOOL || a.dtype() != b.dtype() || cond.size() != a.size() || a.size() != b.size()) {
      throw new IllegalArgumentException(be.name() + " where: needs BOOL cond and two operands of one dtype and size, got "
          + cond.dtype() + "[" + cond.size() + "], " + a.dtype() + "[" + a.size() + "], "
          + b.dtype() + "[" + b.size() + "]");
    }
    OpenClBuffer out = be.allocate(a.dtype(), a.size());
    be.device().launch(kernel(a.dtype(), "where_select"), a.size(), LOCAL, cond, a, b, out, a.size());
    return out;
  }

  private cl_kernel kernel(DType t, String name) {
    String bits = switch (t.bytes()) {
      case 1 -> "uchar";
      case 4 -> "uint";
      default -> "ulong";
    };
    return be.device().kernel("copy|" + bits, name, () -> ClDevice.defines("T", bits) + source, "");
  }

  /**
   * The view as the kernel's {@code view_t}: {rank, offset, dims[MAX_RANK], strides[MAX_RANK]},
   * with size-1 axes dropped and mergeable neighbours (stride[i] = stride[i+1]·dim[i+1]) merged.
   */
  static int[] struct(Layout view) {
    int[] dims = new int[view.shape().rank()];
    int[] strides = new int[dims.length];
    int r = 0;
    for (int a = 0; a < dims.length; a++) {
      int d = view.shape().dim(a);
      if (d == 1) {
        continue;
      }
      int s = view.stride(a);
      if (r > 0 && strides[r - 1] == (long) s * d) {
        dims[r - 1] *= d;
        strides[r - 1] = s;
      } else {
        dims[r] = d;
        strides[r] = s;
        r++;
      }
    }
    if (r > MAX_RANK) {
      throw new IllegalArgumentException("strided view " + view + " has " + r + " axes that cannot be merged; "
          + "the OpenCL backend handles at most " + MAX_RANK);
    }
    int[] out = new int[2 + 2 * MAX_RANK];
    out[0] = r;
    out[1] = view.offset();
    System.arraycopy(dims, 0, out, 2, r);
    System.arraycopy(strides, 0, out, 2 + MAX_RANK, r);
    Arrays.fill(out, 2 + r, 2 + MAX_RANK, 1);
    return out;
  }
}
