package org.incipit.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * GEMM against a naive triple loop in double, for the plain, vector and facade sgemm and for
 * dgemm: sizes 0, 1, odd, primes and around every block size, all four transpose pairs, nonzero
 * offsets, C untouched outside its m × n window.
 *
 * <p>Tolerance (float): |c_ij − ref_ij| ≤ 1e-5 · √k · Σ_p |a_ip|·|b_pj|.
 * Rounding error of a k-term float sum is at most k·u·Σ|a||b| (u = 2⁻²⁴ ≈ 6e-8) and typically
 * √k·u·Σ|a||b|; the bound covers the worst case up to k ≈ 5000 and still catches a wrong index.
 *
 * <p>Beyond tolerance, each kernel promises one exact summation order, checked bit for bit:
 * dgemm equals {@code s = s + a·b}; every sgemm (plain, vector, facade) equals
 * {@code s = fma(a, b, s)}, p = 0 … k−1 from s = 0 (so dgemm equals the naive double loop, and
 * float products do not depend on whether the Vector API is present). A result equal to a scalar
 * loop cannot depend on the tiling, on which thread ran a tile or on {@code incipit.threads};
 * parallel-sized products are among the checked ones.
 */
class GemmTest {
  private static final boolean VECTOR =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  /** An sgemm under test, with Gemm.sgemm's arguments. */
  @FunctionalInterface
  interface Sgemm {
    void run(boolean transA, boolean transB, int m, int n, int k,
             float[] a, int aOff, float[] b, int bOff, float[] c, int cOff);
  }

  private static Map<String, Sgemm> implementations() {
    Map<String, Sgemm> impls = new LinkedHashMap<>();
    impls.put("plain", PlainSgemm::sgemm);
    impls.put("facade", Gemm::sgemm);
    if (VECTOR) {
      impls.put("vector", VectorSgemm::sgemm);
    }
    return impls;
  }

  /** One product with random operands stored at offsets 3 (A) and 5 (B); C goes at offset 7. */
  record Problem(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b) {
    static final int A_OFF = 3;
    static final int B_OFF = 5;
    static final int C_OFF = 7;

    static Problem random(boolean transA, boolean transB, int m, int n, int k, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      float[] a = new float[A_OFF + m * k + 2];
      float[] b = new float[B_OFF + k * n + 2];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (r.nextDouble() * 2 - 1);
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) (r.nextDouble() * 2 - 1);
      }
      return new Problem(transA, transB, m, n, k, a, b);
    }

    /** op(A)_ip. */
    float a(int i, int p) {
      return transA ? a[A_OFF + p * m + i] : a[A_OFF + i * k + p];
    }

    /** op(B)_pj. */
    float b(int p, int j) {
      return transB ? b[B_OFF + j * k + p] : b[B_OFF + p * n + j];
    }

    /** C padded by NaN sentinels on both sides. */
    float[] run(Sgemm f) {
      float[] c = new float[C_OFF + m * n + 4];
      java.util.Arrays.fill(c, Float.NaN);
      f.run(transA, transB, m, n, k, a, A_OFF, b, B_OFF, c, C_OFF);
      for (int i = 0; i < C_OFF; i++) {
        assertTrue(Float.isNaN(c[i]), "C written before cOff");
      }
      for (int i = C_OFF + m * n; i < c.length; i++) {
        assertTrue(Float.isNaN(c[i]), "C written past its m × n window");
      }
      return c;
    }

    /** Checks C against Σ_p a_ip·b_pj in double within the tolerance of the class comment. */
    void assertNearReference(float[] c, String name) {
      double tol = 1e-5 * Math.sqrt(Math.max(1, k));
      double[] ref = new double[n];
      double[] mag = new double[n];
      for (int i = 0; i < m; i++) {
        java.util.Arrays.fill(ref, 0);
        java.util.Arrays.fill(mag, 0);
        for (int p = 0; p < k; p++) {
          double aip = a(i, p);
          for (int j = 0; j < n; j++) {
            double t = aip * b(p, j);
            ref[j] += t;
            mag[j] += Math.abs(t);
          }
        }
        for (int j = 0; j < n; j++) {
          double got = c[C_OFF + i * n + j];
          if (!(Math.abs(got - ref[j]) <= tol * mag[j])) {
            throw new AssertionError(name + " " + this + " at (" + i + "," + j + "): " + got
                + " vs " + ref[j]);
          }
        }
      }
    }

    /** The scalar chain s = fma(a, b, s), p ascending from 0. */
    float[] chain() {
      float[] c = new float[C_OFF + m * n + 4];
      java.util.Arrays.fill(c, Float.NaN);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          float s = 0f;
          for (int p = 0; p < k; p++) {
            s = Math.fma(a(i, p), b(p, j), s);
          }
          c[C_OFF + i * n + j] = s;
        }
      }
      return c;
    }

    @Override
    public String toString() {
      return "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB;
    }
  }

  /** Every implementation on one shape and all four transpose pairs. */
  private static void checkAll(int m, int n, int k) {
    for (int t = 0; t < 4; t++) {
      check(Problem.random(t % 2 == 1, t / 2 == 1, m, n, k, 31L * m + 7L * n + k + t));
    }
  }

  /** Every implementation on one problem: near the reference, and exactly its summation order. */
  private static void check(Problem pr) {
    float[] fma = pr.chain();
    for (Map.Entry<String, Sgemm> e : implementations().entrySet()) {
      String name = e.getKey();
      float[] c = pr.run(e.getValue());
      pr.assertNearReference(c, name);
      assertArrayEquals(fma, c, () -> name + " summation order, " + pr);
    }
  }

  @Test
  void tinySizesIncludingZeroAndOne() {
    int[] sizes = {0, 1, 2, 3, 5};
    for (int m : sizes) {
      for (int n : sizes) {
        for (int k : sizes) {
          checkAll(m, n, k);
        }
      }
    }
  }

  /**
   * Shapes around the block sizes: vector MR = 8, NR = 3·lanes (48 with AVX-512, 24 with AVX2),
   * KC = 512, MC = 48, NC = 22·NR (1056), a two-vector edge kernel for 2·lanes-column edges (n = 80, 128); plain KC = 256, NC = 512; dgemm KC = 128, NC = 512.
   */
  @Test
  void sizesStraddlingBlocks() {
    int[][] shapes = {
        {7, 13, 5}, {8, 48, 17}, {9, 49, 31}, {17, 23, 29}, {16, 47, 97},
        {23, 25, 127}, {24, 24, 128}, {25, 26, 129}, {33, 50, 255}, {41, 17, 256}, {11, 13, 257},
        {63, 95, 40}, {64, 96, 41}, {65, 97, 43}, {143, 31, 19}, {144, 32, 20}, {145, 33, 21},
        {5, 511, 9}, {4, 513, 10}, {3, 1055, 12}, {2, 1057, 11}, {6, 2113, 3}, {9, 9, 513},
        {1, 300, 200}, {300, 1, 200}, {37, 41, 1}, {70, 70, 70}, {97, 89, 101}, {150, 130, 140},
        {47, 50, 511}, {48, 96, 512}, {49, 97, 1025}, {64, 128, 100}, {33, 80, 513}};
    for (int[] s : shapes) {
      checkAll(s[0], s[1], s[2]);
    }
  }

  /**
   * Outputs narrower than a vector (VectorNarrowGemm: blocks of 16 rows in parallel, 8-column
   * groups, scalar rows past the last block) and products with fewer rows than two row panels
   * (the unpacked kernel at any size).
   */
  @Test
  void narrowOutputsAndFewRows() {
    int[][] shapes = {{512, 10, 512}, {130, 15, 33}, {17, 1, 300}, {40, 9, 600}, {200, 8, 70}, {33, 16, 20},
        {15, 14, 9}, {10, 512, 512}, {15, 700, 40}, {1, 2000, 1100}};
    for (int[] s : shapes) {
      checkAll(s[0], s[1], s[2]);
    }
  }

  /** Random sizes, 1 and the largest size mixed in one draw in five (0 and the block edges are fixed above). */
  @Test
  void randomShapes() {
    qt().withFixedSeed(20240611L).withExamples(40)
        .forAll(integers().between(1, 120).mix(Generate.pick(List.of(1, 120)), 20),
            integers().between(1, 120).mix(Generate.pick(List.of(1, 120)), 20),
            integers().between(1, 300).mix(Generate.pick(List.of(1, 300)), 20))
        .checkAssert(GemmTest::checkAll);
  }

  @Test
  void kZeroOverwritesCWithZeros() {
    for (Sgemm f : implementations().values()) {
      float[] c = {9f, 9f, 9f, 9f, 9f, 9f, 9f};
      f.run(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, c, 1);
      assertArrayEquals(new float[] {9f, 0f, 0f, 0f, 0f, 9f, 9f}, c);
    }
    double[] d = {9, 9, 9, 9, 9};
    Gemm.dgemm(true, true, 1, 3, 0, new double[0], 0, new double[0], 0, d, 1);
    assertArrayEquals(new double[] {9, 0, 0, 0, 9}, d);
  }

  /**
   * Products big enough to run their tiles in parallel (m·nc·kc ≥ 2²⁰) still equal the scalar
   * chain bit for bit, and equal the same call run on one thread by Parallel.sequentially.
   */
  @Test
  void parallelProductsKeepTheSummationOrder() {
    assertTrue(260L * 270 * 256 >= GemmTiles.PARALLEL_MIN_WORK);
    assertTrue(261L * 1100 * 260 >= VectorSgemm.COLUMN_SPLIT_WORK, "the second product is split by column slices");
    assertTrue(130L * 500 * 1100 >= VectorSgemm.COLUMN_SPLIT_WORK, "the third: slices with three k blocks each");
    assertTrue(8L * 4100 * 2100 >= VectorSgemm.COLUMN_SPLIT_WORK
        && 2100L * 4100 > VectorSgemm.SLICED_MAX_FLOATS, "the fourth: a whole-k B̃ too big to pack at once");
    Problem[] problems = {Problem.random(false, false, 260, 270, 600, 1),
        Problem.random(true, true, 261, 1100, 260, 2), Problem.random(false, false, 130, 500, 1100, 3),
        Problem.random(false, true, 8, 4100, 2100, 4)};
    for (Problem pr : problems) {
      check(pr);
      for (Map.Entry<String, Sgemm> e : implementations().entrySet()) {
        float[] parallel = pr.run(e.getValue());
        float[] oneThread = Parallel.sequentially(() -> pr.run(e.getValue()));
        assertArrayEquals(parallel, oneThread, e.getKey() + " on one thread, " + pr);
      }
    }
  }

  /**
   * Calls from inside pool workers (a batch loop run by Parallel) run their own loops inline on that
   * worker, each with its own packed B̃; they give the same bits as sequential calls.
   */
  @Test
  void nestedParallelCallsMatchSequentialOnes() {
    Problem[] batch = new Problem[4];
    float[][] expected = new float[batch.length][];
    for (int t = 0; t < batch.length; t++) {
      batch[t] = Problem.random(t % 2 == 1, false, 264, 272, 300, 40 + t);
    }
    for (Map.Entry<String, Sgemm> e : implementations().entrySet()) {
      for (int t = 0; t < batch.length; t++) {
        expected[t] = batch[t].run(e.getValue());
      }
      float[][] got = new float[batch.length][];
      Parallel.range(batch.length, 1, (t0, t1) -> {
        for (int t = t0; t < t1; t++) {
          got[t] = batch[t].run(e.getValue());
        }
      });
      for (int t = 0; t < batch.length; t++) {
        assertArrayEquals(expected[t], got[t], e.getKey() + " batch element " + t);
      }
    }
  }

  /**
   * The loop nest updates every c_ij exactly once per k block, k blocks in order, and packs each
   * (k block, column block) once before its tiles run; serial and parallel shapes alike.
   */
  @Test
  void blockedLoopVisitsEachElementOncePerKBlockInOrder() {
    int[][] shapes = {{1, 1, 1}, {9, 50, 257}, {65, 1000, 300}, {1000, 7, 600}, {3, 2500, 100},
        {300, 1100, 600}};
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      int[] blocksSeen = new int[m * n];
      int[] packedUpTo = new int[n];
      GemmTiles.blocked(m, n, k, 8, 48, 144, 1056, 256, true,
          (pc, kc, j0, j1) -> {
            for (int j = j0; j < j1; j++) {
              assertEquals(pc, packedUpTo[j]);
              packedUpTo[j] = pc + kc;
            }
          },
          (pc, kc, jc, i0, i1, j0, j1) -> {
            assertEquals(0, (j0 - jc) % 48, "tiles start on an NR panel of B̃");
            for (int i = i0; i < i1; i++) {
              for (int j = j0; j < j1; j++) {
                assertEquals(pc, 256 * blocksSeen[i * n + j]++, "k blocks in order");
                assertTrue(packedUpTo[j] == pc + kc, "B̃ packed before use");
              }
            }
          });
      for (int seen : blocksSeen) {
        assertEquals((k + 255) / 256, seen);
      }
    }
  }

  @Test
  void dgemmMatchesNaiveAndItsSummationOrder() {
    int[][] shapes = {{0, 3, 2}, {1, 1, 1}, {3, 0, 4}, {5, 7, 129}, {33, 17, 128}, {70, 515, 9},
        {64, 64, 64}, {2, 3, 300}};
    for (int[] s : shapes) {
      for (int t = 0; t < 4; t++) {
        checkDgemm(t % 2 == 1, t / 2 == 1, s[0], s[1], s[2], 17L * t + s[0]);
      }
    }
  }

  private static void checkDgemm(boolean transA, boolean transB, int m, int n, int k, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = r.doubles(2 + m * k, -1, 1).toArray();
    double[] b = r.doubles(1 + k * n, -1, 1).toArray();
    double[] c = new double[3 + m * n];
    java.util.Arrays.fill(c, Double.NaN);
    Gemm.dgemm(transA, transB, m, n, k, a, 2, b, 1, c, 3);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s = s + (transA ? a[2 + p * m + i] : a[2 + i * k + p])
              * (transB ? b[1 + j * k + p] : b[1 + p * n + j]);
        }
        assertEquals(s, c[3 + i * n + j], 0.0, "dgemm equals the naive loop bit for bit");
      }
    }
    assertTrue(Double.isNaN(c[0]) && Double.isNaN(c[2]));
  }

  @Test
  void facadeSelectsVectorWhenTheModuleIsPresent() {
    boolean plainForced = "plain".equals(System.getProperty("incipit.gemm"))
        || "false".equals(System.getProperty("incipit.vector"));
    assertEquals(VECTOR && !plainForced ? "vector" : "plain", Gemm.sgemmImplementation());
  }
}
