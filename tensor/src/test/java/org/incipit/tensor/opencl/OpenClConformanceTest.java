package org.incipit.tensor.opencl;

import static org.incipit.tensor.opencl.OpenClTesting.CPU;
import static org.incipit.tensor.opencl.OpenClTesting.assertClose;
import static org.incipit.tensor.opencl.OpenClTesting.assertSame;
import static org.incipit.tensor.opencl.OpenClTesting.pair;
import static org.incipit.tensor.opencl.OpenClTesting.values;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.incipit.tensor.Backend.Reduction;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Kernel;
import org.incipit.tensor.Layout;
import org.incipit.tensor.MemoryScope;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@link org.incipit.tensor.Backend} method of the OpenCL backend against the CPU backend,
 * for every dtype it takes: exact where the CPU's result is exact by construction (moves, casts,
 * comparisons, integer arithmetic, correctly rounded float arithmetic, index adds), within float
 * tolerance for transcendental functions and products.
 */
class OpenClConformanceTest {
  static OpenClBackend cl;

  @BeforeEach
  void device() {
    cl = OpenClTesting.backend();
  }

  static final DType[] ALL = DType.values();

  @Test
  void uploadsAndReadsEveryDtypeExactly() {
    double[] special = {0, -0.0, 1.5, -2.5, 1e30, -7, Double.NaN, Double.POSITIVE_INFINITY, 3e9, 0.1};
    for (DType t : ALL) {
      Buffer[] p = pair(cl, t, special);
      assertSame(p[0], p[1], "fromHost " + t);
      assertArrayEquals(CPU.toLongs(p[0]), cl.toLongs(p[1]), "toLongs " + t);
      assertArrayEquals(CPU.toFloats(p[0]), cl.toFloats(p[1]), "toFloats " + t);
      assertSame(CPU.full(t, 5, -3.75), cl.full(t, 5, -3.75), "full " + t);
      assertSame(CPU.zeros(t, 3), cl.zeros(t, 3), "zeros " + t);
      long[] longs = {0, 1, -1, 42, -100};
      assertSame(CPU.fromHost(t, longs), cl.fromHost(t, longs), "fromHost(long[]) " + t);
      assertEquals(0, cl.toDoubles(cl.zeros(t, 0)).length, "empty " + t);
    }
    float[] f = {1.25f, -0f, Float.MIN_VALUE, Float.MAX_VALUE};
    assertArrayEquals(f, cl.toFloats(cl.fromHost(f)));
  }

  @Test
  void elementwiseKernelsMatchTheCpuInEveryDtype() {
    Kernel.Binary add = Kernel.binary("add", (a, b) -> a + b, "a + b");
    Kernel.Binary div = Kernel.binary("div", (a, b) -> a / b, "a / b");
    Kernel.Binary lt = Kernel.predicate("lt", (a, b) -> a < b ? 1 : 0, "a < b");
    Kernel.Unary mulS = Kernel.unary("mul_scalar", (a, s) -> a * s, "a * s");
    Kernel.Unary geS = new Kernel.Unary("ge_scalar", (a, s) -> a >= s ? 1 : 0, "a >= s", true);
    for (DType t : ALL) {
      Buffer[] a = pair(cl, t, values(t, 300, 1));
      Buffer[] b = pair(cl, t, values(t, 300, 2));
      assertSame(CPU.binary(add, a[0], b[0]), cl.binary(add, a[1], b[1]), "add " + t);
      assertSame(CPU.binary(lt, a[0], b[0]), cl.binary(lt, a[1], b[1]), "lt " + t);
      assertSame(CPU.unary(geS, a[0], 0.1), cl.unary(geS, a[1], 0.1), "ge_scalar 0.1 " + t);
      if (t != DType.BOOL) {
        assertSame(CPU.binary(div, a[0], b[0]), cl.binary(div, a[1], b[1]), "div " + t);
        assertSame(CPU.unary(mulS, a[0], -2.5), cl.unary(mulS, a[1], -2.5), "mul_scalar " + t);
      }
    }
  }

  @Test
  void transcendentalKernelsAgreeWithinFloatTolerance() {
    List<Kernel.Unary> kernels = List.of(
        Kernel.unary("tanh", (a, s) -> Math.tanh(a), "tanh(a)"),
        Kernel.unary("exp", (a, s) -> Math.exp(a), "exp(a)"),
        Kernel.unary("sigmoid", (a, s) -> 1 / (1 + Math.exp(-a)), "a >= 0 ? 1/(1+exp(-a)) : exp(a)/(1+exp(a))"),
        Kernel.unary("pow_scalar", Math::pow, "pow(a, s)"),
        Kernel.unary("softplus", (a, s) -> a > 20 ? a : Math.log1p(Math.exp(a)), "a > 20 ? a : log1p(exp(a))"));
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      Buffer[] x = pair(cl, t, values(t, 500, 3));
      for (Kernel.Unary k : kernels) {
        double tol = t == DType.F32 ? 1e-5 : 1e-12;
        assertClose(CPU.unary(k, x[0], 3.0), cl.unary(k, x[1], 3.0), tol, k.name() + " " + t);
      }
    }
  }

  @Test
  void whereAndCastsMatchTheCpuExactly() {
    double[] special = {0, -0.0, 1.5, -2.5, 1e30, -7.9, Double.NaN, Double.NEGATIVE_INFINITY, 3e9, -3e9, 0.1, 1};
    Buffer[] cond = pair(cl, DType.BOOL, values(DType.BOOL, special.length, 4));
    for (DType from : ALL) {
      Buffer[] x = pair(cl, from, special);
      Buffer[] y = pair(cl, from, values(from, special.length, 5));
      assertSame(CPU.where(cond[0], x[0], y[0]), cl.where(cond[1], x[1], y[1]), "where " + from);
      for (DType to : ALL) {
        assertSame(CPU.cast(x[0], to), cl.cast(x[1], to), "cast " + from + " -> " + to);
      }
    }
  }

  @Test
  void reductionsMatchTheCpuOnBothPaths() {
    // (outer, n, inner): few outputs over long axes (tree) and many outputs (one work-item each).
    int[][] shapes = {{1, 1000, 1}, {3, 257, 2}, {1, 5000, 3}, {70, 70, 70}, {5000, 3, 1}, {2, 1, 4}, {1, 1, 1}};
    for (DType t : ALL) {
      for (int[] s : shapes) {
        double[] v = values(t, s[0] * s[1] * s[2], 6);
        if (t.isFloating() && v.length > 10) {
          v[7] = Double.NaN; // propagates through MAX, is the arg max
        }
        Buffer[] x = pair(cl, t, v);
        String at = t + " " + java.util.Arrays.toString(s);
        for (Reduction r : Reduction.values()) {
          Buffer want = CPU.reduce(r, x[0], s[0], s[1], s[2]);
          Buffer got = cl.reduce(r, x[1], s[0], s[1], s[2]);
          if (r == Reduction.SUM && t == DType.F32) {
            assertClose(want, got, 1e-6, "sum " + at);
          } else if (r == Reduction.SUM && t == DType.F64) {
            assertClose(want, got, 1e-12, "sum " + at);
          } else {
            assertSame(want, got, r + " " + at);
          }
        }
      }
    }
  }

  @Test
  void argmaxTakesTheFirstMaximumAndMaxOfAnEmptyAxisIsAnError() {
    double[] v = {1, 3, 3, -1, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    Buffer x = cl.fromHost(DType.F32, v);
    assertArrayEquals(new long[] {1, 0}, cl.toLongs(cl.reduce(Reduction.ARGMAX, x, 2, 3, 1)));
    double[] big = new double[3000];
    big[100] = 5;
    big[2000] = 5;
    Buffer ties = cl.fromHost(DType.F64, big);
    assertArrayEquals(new long[] {100}, cl.toLongs(cl.reduce(Reduction.ARGMAX, ties, 1, 3000, 1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cl.reduce(Reduction.MAX, cl.zeros(DType.F32, 0), 2, 0, 1));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertArrayEquals(new double[] {0, 0}, cl.toDoubles(cl.reduce(Reduction.SUM, cl.zeros(DType.F32, 0), 2, 0, 1)));
  }

  @Test
  void tiledAndNaiveMatmulMatchTheCpu() {
    int[][] mkn = {{1, 1, 1}, {7, 5, 3}, {64, 16, 64}, {65, 17, 129}, {100, 1, 33}, {3, 0, 4}, {130, 70, 10}};
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      double tol = t == DType.F32 ? 1e-5 : 1e-12;
      for (int[] d : mkn) {
        int batch = 3;
        for (int flags = 0; flags < 16; flags++) {
          boolean ta = (flags & 1) != 0;
          boolean tb = (flags & 2) != 0;
          boolean ab = (flags & 4) != 0;
          boolean bb = (flags & 8) != 0;
          Buffer[] a = pair(cl, t, values(t, (ab ? batch : 1) * d[0] * d[1], 7));
          Buffer[] b = pair(cl, t, values(t, (bb ? batch : 1) * d[1] * d[2], 8));
          Buffer want = CPU.matmul(a[0], ab, ta, b[0], bb, tb, batch, d[0], d[1], d[2]);
          String what = t + " " + java.util.Arrays.toString(d) + " flags " + flags;
          assertClose(want, cl.matmul(a[1], ab, ta, b[1], bb, tb, batch, d[0], d[1], d[2]), tol, "tiled " + what);
          assertClose(want, cl.gemm().matmul(ClGemm.Variant.NAIVE, (OpenClBuffer) a[1], ab, ta, (OpenClBuffer) b[1], bb,
              tb, batch, d[0], d[1], d[2]), tol, "naive " + what);
        }
      }
    }
  }

  @Test
  void everyTilingComputesTheSameProduct() {
    // the GPU tilings (F32, F64), the CPU one, and a scalar one with odd tiles, on this device
    ClGemm.Tiling[] tilings = {new ClGemm.Tiling(128, 128, 16, 8, 4, 2), new ClGemm.Tiling(64, 64, 16, 4, 4, 1),
        new ClGemm.Tiling(64, 64, 32, 16, 16, 1), new ClGemm.Tiling(12, 8, 3, 3, 1, 2)};
    int[][] mkn = {{130, 33, 67}, {5, 70, 9}, {1, 1, 200}};
    for (ClGemm.Tiling tiling : tilings) {
      for (int[] d : mkn) {
        Buffer[] a = pair(cl, DType.F32, values(DType.F32, 2 * d[0] * d[1], 13));
        Buffer[] b = pair(cl, DType.F32, values(DType.F32, d[1] * d[2], 14));
        assertClose(CPU.matmul(a[0], true, true, b[0], false, false, 2, d[0], d[1], d[2]),
            cl.gemm().matmul(tiling.checked(cl.info(), DType.F32), (OpenClBuffer) a[1], true, true, (OpenClBuffer) b[1],
                false, false, 2, d[0], d[1], d[2]), 1e-5, tiling + " " + java.util.Arrays.toString(d));
      }
    }
  }

  @Test
  void stridedCopiesAndScattersMatchTheCpu() {
    Shape s = Shape.of(4, 3, 5, 2);
    Layout base = Layout.contiguous(s);
    List<Layout> views = new ArrayList<>(List.of(base, base.permute(3, 1, 0, 2), base.slice(2, 1, 5, 2),
        base.slice(0, 1, 3, 1).permute(1, 0, 2, 3), Layout.contiguous(Shape.of(3, 1, 2)).expand(Shape.of(4, 3, 5, 2)),
        new Layout(Shape.scalar(), new int[0], 17), base.slice(1, 3, 3, 1)));
    for (DType t : ALL) {
      Buffer[] src = pair(cl, t, values(t, s.numel(), 9));
      for (Layout v : views) {
        assertSame(CPU.copyStrided(src[0], v), cl.copyStrided(src[1], v), "copyStrided " + t + " " + v);
      }
      Layout target = base.slice(2, 0, 5, 2).permute(2, 0, 1, 3);
      Buffer[] part = pair(cl, t, values(t, target.shape().numel(), 10));
      assertSame(CPU.scatterStrided(CPU.zeros(t, s.numel()), target, part[0]),
          cl.scatterStrided(cl.zeros(t, s.numel()), target, part[1]), "scatterStrided " + t);
    }
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> cl.copyStrided(cl.zeros(DType.F32, 10), base));
    assertTrue(e.getMessage().contains("outside a buffer of 10 elements"), e.getMessage());
  }

  @Test
  void indexKernelsMatchTheCpuAndAddInIndexOrder() {
    int outer = 3;
    int n = 4;
    int inner = 5;
    int m = 6;
    long[] idx = {3, 0, 3, 3, 1, 0};
    long[] full = new long[outer * m * inner];
    for (int q = 0; q < full.length; q++) {
      full[q] = (q * 7L) % n;
    }
    for (DType t : ALL) {
      Buffer[] src = pair(cl, t, values(t, outer * n * inner, 11));
      Buffer[] add = pair(cl, t, values(t, outer * m * inner, 12));
      for (DType it : new DType[] {DType.I64, DType.I32}) {
        Buffer[] i1 = {CPU.fromHost(it, idx), cl.fromHost(it, idx)};
        Buffer[] i3 = {CPU.fromHost(it, full), cl.fromHost(it, full)};
        String what = t + " index " + it;
        assertSame(CPU.gather(src[0], outer, n, inner, i3[0], m), cl.gather(src[1], outer, n, inner, i3[1], m),
            "gather " + what);
        assertSame(CPU.indexSelect(src[0], outer, n, inner, i1[0], m),
            cl.indexSelect(src[1], outer, n, inner, i1[1], m), "indexSelect " + what);
        assertSame(CPU.scatterAdd(src[0], outer, n, inner, i3[0], add[0], m),
            cl.scatterAdd(src[1], outer, n, inner, i3[1], add[1], m), "scatterAdd " + what);
        assertSame(CPU.indexAdd(src[0], outer, n, inner, i1[0], add[0], m),
            cl.indexAdd(src[1], outer, n, inner, i1[1], add[1], m), "indexAdd " + what);
      }
    }
  }

  @Test
  void indicesComputedOnTheDeviceAreReadBackAndChecked() {
    Buffer x = cl.fromHost(DType.F32, new double[] {1, 5, 2, 7, 0, 3});
    Buffer arg = cl.reduce(Reduction.ARGMAX, x, 2, 3, 1); // [1, 0] computed on the device
    Buffer picked = cl.indexSelect(cl.fromHost(DType.F32, new double[] {10, 20, 30}), 1, 3, 1, arg, 2);
    assertArrayEquals(new double[] {20, 10}, cl.toDoubles(picked));
    Buffer bad = cl.cast(cl.fromHost(DType.F32, new double[] {0, 9}), DType.I64);
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> cl.indexAdd(cl.zeros(DType.F32, 3), 1, 3, 1, bad, cl.zeros(DType.F32, 2), 2));
    assertEquals("index 9 is out of range for a dimension of size 3 (valid: 0..2)", e.getMessage());
  }

  @Test
  void badIndicesAreRejectedBeforeAnythingRuns() {
    Buffer src = cl.zeros(DType.F32, 12);
    try (MemoryScope scope = MemoryScope.open()) {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
          () -> cl.gather(src, 1, 4, 3, cl.fromHost(DType.I64, new long[] {0, 1, 4}), 1));
      assertEquals("index 4 is out of range for a dimension of size 4 (valid: 0..3)", e.getMessage());
      assertThrows(IndexOutOfBoundsException.class,
          () -> cl.scatterAdd(src, 1, 4, 3, cl.fromHost(DType.I32, new long[] {-1, 0, 0}), cl.zeros(DType.F32, 3), 1));
      IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
          () -> cl.indexSelect(src, 1, 4, 3, cl.zeros(DType.F32, 2), 2));
      assertTrue(wrongType.getMessage().contains("integer"), wrongType.getMessage());
      assertEquals(4, scope.size(), "only the index and source buffers were allocated, no outputs");
    }
  }
}
