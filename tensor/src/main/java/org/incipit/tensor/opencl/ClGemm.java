package org.incipit.tensor.opencl;

import static org.incipit.tensor.opencl.OpenClBackend.clType;

import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.jocl.cl_kernel;

/**
 * Matrix products on one OpenCL device ({@code kernels/matmul.cl}): the tiled kernel every
 * {@code matmul} uses, and the naive one-work-item-per-output kernel it is tested and benchmarked
 * against.
 *
 * <p>Tiled: a work-group computes a {@value #BM}×{@value #BN} block of C with
 * ({@value #BN}/{@value #RX})×({@value #BM}/{@value #RY}) work-items, each accumulating
 * {@value #RY}×{@value #RX} outputs in registers while A and B pass through local memory in slices
 * of {@value #BK} along k. F32 accumulates in float and F64 in double, with fused multiply-adds.
 */
public final class ClGemm {
  /** Which kernel computes the product. */
  public enum Variant { NAIVE, TILED }

  static final int BM = 64;
  static final int BN = 64;
  static final int BK = 16;
  static final int RY = 4;
  static final int RX = 4;
  private static final int NAIVE_LOCAL = 16;

  private final OpenClBackend be;
  private final String source = ClDevice.resource("matmul.cl");

  ClGemm(OpenClBackend be) {
    this.be = be;
  }

  /**
   * C = A·B for row-major (m × k) A and (k × n) B on this device, with the chosen kernel — the
   * benchmarks' entry point. The result is not waited for; see {@link OpenClBackend#finish()}.
   */
  public Buffer matmul(Variant variant, Buffer a, Buffer b, int m, int k, int n) {
    return matmul(variant, be.cl(a), false, false, be.cl(b), false, false, 1, m, k, n);
  }

  /** The batched product of {@link org.incipit.tensor.Backend#matmul} with the chosen kernel. */
  OpenClBuffer matmul(Variant variant, OpenClBuffer a, boolean aBatched, boolean transA, OpenClBuffer b,
                      boolean bBatched, boolean transB, int batch, int m, int k, int n) {
    if (a.dtype() != b.dtype() || !a.dtype().isFloating()) {
      throw new IllegalArgumentException("matmul: needs two float buffers of one dtype, got "
          + a.dtype() + " and " + b.dtype());
    }
    long needA = (long) (aBatched ? batch : 1) * m * k;
    long needB = (long) (bBatched ? batch : 1) * k * n;
    if (a.size() < needA || b.size() < needB) {
      throw new IllegalArgumentException("matmul: buffers of " + a.size() + " and " + b.size() + " elements cannot hold "
          + batch + " products of (" + m + "x" + k + ") and (" + k + "x" + n + ")");
    }
    OpenClBuffer c = be.allocate(a.dtype(), batch * m * n);
    Object[] args = {a, b, c, m, n, k, aBatched ? m * k : 0, bBatched ? k * n : 0, transA ? 1 : 0, transB ? 1 : 0};
    if (variant == Variant.NAIVE) {
      be.device().launch(kernel(a.dtype(), "matmul_naive"), new long[] {n, m, batch},
          new long[] {NAIVE_LOCAL, NAIVE_LOCAL, 1}, args);
    } else {
      long gx = (long) ceilDiv(n, BN) * (BN / RX);
      long gy = (long) ceilDiv(m, BM) * (BM / RY);
      be.device().launch(kernel(a.dtype(), "matmul_tiled"), new long[] {gx, gy, batch},
          new long[] {BN / RX, BM / RY, 1}, args);
    }
    return c;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private cl_kernel kernel(DType t, String name) {
    String header = ClElementwise.pragmas(t == DType.F64) + "\n"
        + ClDevice.defines("T", clType(t), "BM", BM, "BN", BN, "BK", BK, "RY", RY, "RX", RX);
    return be.device().kernel("matmul|" + t, name, () -> header + source, "");
  }
}
