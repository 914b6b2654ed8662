package org.incipit.tensor.opencl;

import static org.incipit.tensor.opencl.OpenClBackend.clType;

import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.jocl.cl_kernel;

/**
 * Matrix products on one OpenCL device ({@code kernels/matmul.cl}): the tiled kernel every
 * {@code matmul} uses, and the naive one-work-item-per-output kernel it is tested and benchmarked
 * against. F32 accumulates in float and F64 in double, with fused multiply-adds.
 *
 * <p>The tiled kernel's shape is a {@link Tiling}, chosen per device type and dtype: a CPU device
 * (POCL) runs few work-items that each own a 16×16 block as sixteen 16-wide vectors, which its
 * compiler maps onto AVX-512 registers; a GPU runs 256 work-items per group, each with an 8×8
 * block. {@code -Dincipit.opencl.gemm=BM,BN,BK,RY,VW,NV} overrides the choice (for tuning).
 */
public final class ClGemm {
  /** Which kernel computes the product. */
  public enum Variant { NAIVE, TILED }

  /**
   * Tile sizes of the tiled kernel: a work-group computes a bm × bn block of C, walking k in steps
   * of bk; each of its (bn / (vw·nv)) × (bm / ry) work-items owns ry rows by nv vectors of vw
   * columns.
   */
  record Tiling(int bm, int bn, int bk, int ry, int vw, int nv) {
    int lx() {
      return bn / (vw * nv);
    }

    int ly() {
      return bm / ry;
    }

    static Tiling of(OpenClInfo info, DType t) {
      String spec = System.getProperty("incipit.opencl.gemm");
      if (spec != null) {
        int[] v = java.util.Arrays.stream(spec.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        return new Tiling(v[0], v[1], v[2], v[3], v[4], v[5]).checked(info, t);
      }
      boolean f64 = t == DType.F64;
      Tiling tiling = info.cpu()
          ? new Tiling(64, 64, 32, 16, f64 ? 8 : 16, 1)
          : f64 ? new Tiling(64, 64, 16, 4, 4, 1) : new Tiling(128, 128, 16, 8, 4, 2);
      return tiling.checked(info, t);
    }

    /** This tiling, or a clear error when the device cannot run it. */
    Tiling checked(OpenClInfo info, DType t) {
      long local = (long) bk * (bm + 1 + bn) * t.bytes();
      if (bm % ry != 0 || bn % (vw * nv) != 0 || Integer.bitCount(vw) != 1 || vw > 16
          || (long) lx() * ly() > info.maxWorkGroup() || local > info.localMem()) {
        throw new IllegalArgumentException("matmul tiling " + this + " does not fit " + info.name() + " (work-group "
            + lx() * ly() + " of at most " + info.maxWorkGroup() + ", " + local + " bytes of local memory of "
            + info.localMem() + ")");
      }
      return this;
    }
  }

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
    Tiling tiling = variant == Variant.NAIVE ? null : Tiling.of(be.info(), a.dtype());
    return matmul(tiling, a, aBatched, transA, b, bBatched, transB, batch, m, k, n);
  }

  /** The product with the tiled kernel of {@code tiling}, or the naive kernel when it is null. */
  OpenClBuffer matmul(Tiling tiling, OpenClBuffer a, boolean aBatched, boolean transA, OpenClBuffer b,
                      boolean bBatched, boolean transB, int batch, int m, int k, int n) {
    if (a.dtype() != b.dtype() || !a.dtype().isFloating()) {
      throw new IllegalArgumentException("matmul: needs two float buffers of one dtype, got "
          + a.dtype() + " and " + b.dtype());
    }
    long needA = (long) (aBatched ? batch : 1) * m * k;
    long needB = (long) (bBatched ? batch : 1) * k * n;
    if (a.size() < needA || b.size() < needB) {
      throw new IllegalArgumentException("matmul: buffers of " + a.size() + " and " + b.size()
          + " elements cannot hold " + batch + " products of (" + m + "x" + k + ") and (" + k + "x" + n + ")");
    }
    OpenClBuffer c = be.allocate(a.dtype(), batch * m * n);
    Object[] args = {a, b, c, m, n, k, aBatched ? m * k : 0, bBatched ? k * n : 0, transA ? 1 : 0, transB ? 1 : 0};
    if (tiling == null) {
      be.device().launch(kernel(a.dtype(), "matmul_naive", Tiling.of(be.info(), a.dtype())), new long[] {n, m, batch},
          new long[] {NAIVE_LOCAL, NAIVE_LOCAL, 1}, args);
    } else {
      long gx = (long) ceilDiv(n, tiling.bn()) * tiling.lx();
      long gy = (long) ceilDiv(m, tiling.bm()) * tiling.ly();
      be.device().launch(kernel(a.dtype(), "matmul_tiled", tiling), new long[] {gx, gy, batch},
          new long[] {tiling.lx(), tiling.ly(), 1}, args);
    }
    return c;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private cl_kernel kernel(DType t, String name, Tiling s) {
    return be.device().kernel("matmul|" + t + "|" + s, name, () -> {
      String type = clType(t);
      return ClElementwise.pragmas(t == DType.F64) + "\n"
          + ClDevice.defines("T", type, "BM", s.bm(), "BN", s.bn(), "BK", s.bk(), "RY", s.ry(), "VW", s.vw(),
              "NV", s.nv(), "TV", s.vw() == 1 ? type : type + s.vw(),
              "VLOAD(i, p)", s.vw() == 1 ? "(p)[i]" : "vload" + s.vw() + "(i, p)",
              "VSTORE(x, i, p)", s.vw() == 1 ? "((p)[i] = (x))" : "vstore" + s.vw() + "(x, i, p)") + source;
    }, "");
  }
}
