package org.incipit.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * QuickTheories generators for tensor properties: integers and seeds, shapes of rank 0–4,
 * broadcast pairs, and float64 tensors whose values lie in an op's {@link Domain}.
 *
 * <p>QuickTheories draws uniformly and does not favour edge cases, so every generator here mixes
 * them in explicitly, one draw in five ({@link #EDGE_PERCENT}): 0, ±1 and the extremes for
 * integers, the ends of a range, rank 0, all-size-1, size-1 axes and the largest shape. Shrinking
 * works on the draws, so a failing example shrinks towards the smallest rank, the smallest
 * dimensions and the edge cases. Arrays print as {@code [2, 1, 3]} in a failure report.
 *
 * <pre>{@code
 * qt().withFixedSeed(42).withExamples(200)
 *     .forAll(Gens.tensors(Gens.shapes(), Gens.Domain.POSITIVE))
 *     .checkAssert(x -> GradProperty.assertGradients(in -> in[0].log(), x));
 * }</pre>
 */
public final class Gens {
  /** The share of draws, in percent, taken from a generator's explicit edge cases. */
  public static final int EDGE_PERCENT = 20;

  private Gens() {}

  /** Where generated values lie: inside an op's domain and away from its kinks and ties. */
  public enum Domain {
    /** Uniform in (−2, 2). */
    ANY,
    /** Uniform in (0.3, 2.3): log, sqrt, reciprocal, fractional powers. */
    POSITIVE,
    /** |x| in (0.1, 2): away from the kink at 0 (relu, abs, leaky relu, 1/x). */
    AWAY_FROM_ZERO,
    /** Distinct values at least 0.06 apart: max and its ties. */
    DISTINCT
  }

  /** A shape {@code out} and two shapes {@code a}, {@code b} that broadcast to it. */
  public record Broadcast(Shape out, Shape a, Shape b) {}

  /** {@code base}, with one draw in five picked from {@code edges}. */
  @SafeVarargs
  public static <T> Gen<T> withEdges(Gen<T> base, T... edges) {
    return base.mix(Generate.pick(List.of(edges)), EDGE_PERCENT);
  }

  /** Every int; 0, ±1, {@code Integer.MIN_VALUE} and {@code MAX_VALUE} mixed in. */
  public static Gen<Integer> ints() {
    return withEdges(SourceDSL.integers().all(), 0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** Every long (seeds, for instance); 0, ±1 and the extremes mixed in. */
  public static Gen<Long> longs() {
    return withEdges(SourceDSL.longs().all(), 0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** Ints in [lo, hi]; the ends, lo + 1 and 0, ±1 (where inside) mixed in. */
  public static Gen<Integer> between(int lo, int hi) {
    if (lo > hi) {
      throw new IllegalArgumentException("Gens.between: empty range [" + lo + ", " + hi + "]");
    }
    List<Integer> edges = new ArrayList<>(List.of(lo, hi));
    for (long e : new long[] {(long) lo + 1, 0, 1, -1}) {
      if (e >= lo && e <= hi && !edges.contains((int) e)) {
        edges.add((int) e);
      }
    }
    return SourceDSL.integers().between(lo, hi).mix(Generate.pick(edges), EDGE_PERCENT);
  }

  /** Dimension arrays of rank 0–4 with dimensions 1–5: the shapes the project's own suites use. */
  public static Gen<int[]> dims() {
    return dims(0, 4, 1, 5);
  }

  /**
   * Dimension arrays of rank {@code minRank}–{@code maxRank} with dimensions {@code minDim}–{@code
   * maxDim} ({@code minDim} 0 allows empty tensors). Mixed in: the lowest rank with the smallest
   * dimensions (a scalar when {@code minRank} is 0), all-smallest and all-largest of the highest
   * rank, and a highest-rank shape with one axis of the smallest size.
   */
  public static Gen<int[]> dims(int minRank, int maxRank, int minDim, int maxDim) {
    if (minRank < 0 || minRank > maxRank || minDim < 0 || minDim > maxDim) {
      throw new IllegalArgumentException("Gens.dims: need 0 ≤ minRank ≤ maxRank and 0 ≤ minDim ≤ maxDim, got rank "
          + minRank + "–" + maxRank + ", dimensions " + minDim + "–" + maxDim);
    }
    int[] low = filled(minRank, minDim);
    int[] smallest = filled(maxRank, minDim);
    int[] largest = filled(maxRank, maxDim);
    int[] oneSmall = filled(maxRank, maxDim);
    if (maxRank > 0) {
      oneSmall[maxRank / 2] = minDim;
    }
    Gen<int[]> base = Generate.intArrays(SourceDSL.integers().between(minRank, maxRank),
        SourceDSL.integers().between(minDim, maxDim));
    return base.mix(Generate.pick(List.of(low, smallest, largest, oneSmall)).map(int[]::clone), EDGE_PERCENT)
        .describedAs(Arrays::toString);
  }

  /** Shapes of rank 0–4 with dimensions 1–5, edge cases mixed in ({@link #dims()}). */
  public static Gen<Shape> shapes() {
    return dims().map(d -> Shape.of(d)).describedAs(Shape::toString);
  }

  /** Shapes from {@link #dims(int, int, int, int)}. */
  public static Gen<Shape> shapes(int minRank, int maxRank, int minDim, int maxDim) {
    return dims(minRank, maxRank, minDim, maxDim).map(d -> Shape.of(d)).describedAs(Shape::toString);
  }

  /**
   * Shapes that broadcast to {@code out}: up to all leading axes dropped (each count equally
   * likely) and each remaining axis kept or, with probability 0.3, set to 1. Shrinks towards
   * {@code out} itself.
   */
  public static Gen<Shape> broadcastableTo(Shape out) {
    int r = out.rank();
    Gen<Integer> drop = SourceDSL.integers().between(0, r);
    Gen<int[]> ones = Generate.intArrays(Generate.constant(r), SourceDSL.integers().between(0, 9));
    return drop.zip(ones, (k, u) -> {
      int[] d = new int[r - k];
      for (int i = 0; i < d.length; i++) {
        d[i] = u[i + k] >= 7 ? 1 : out.dim(i + k);
      }
      return Shape.of(d);
    }).describedAs(Shape::toString);
  }

  /** An output shape from {@link #shapes()} and two operand shapes that broadcast to it. */
  public static Gen<Broadcast> broadcastPairs() {
    return shapes().flatMap(out -> broadcastableTo(out).zip(broadcastableTo(out), (a, b) -> new Broadcast(out, a, b)))
        .describedAs(p -> p.a() + " with " + p.b() + " → " + p.out());
  }

  /** F64 tensors of the drawn shape with values in {@code domain}, from a drawn seed ({@link #values}). */
  public static Gen<Tensor> tensors(Gen<Shape> shapes, Domain domain) {
    return shapes.zip(longs(), (s, seed) -> values(s, domain, Rng.seeded(seed)))
        .describedAs(t -> t.shape() + " " + Arrays.toString(t.toDoubles()));
  }

  /** A F64 tensor of {@code shape} with values in {@code domain}, drawn from {@code rng}. */
  public static Tensor values(Shape shape, Domain domain, Rng rng) {
    int n = shape.numel();
    double[] u = rng.uniform(n);
    double[] v = new double[n];
    switch (domain) {
      case ANY -> {
        for (int i = 0; i < n; i++) {
          v[i] = 4 * u[i] - 2;
        }
      }
      case POSITIVE -> {
        for (int i = 0; i < n; i++) {
          v[i] = 0.3 + 2 * u[i];
        }
      }
      case AWAY_FROM_ZERO -> {
        double[] s = rng.fork("sign").uniform(n);
        for (int i = 0; i < n; i++) {
          v[i] = (s[i] < 0.5 ? -1 : 1) * (0.1 + 1.9 * u[i]);
        }
      }
      case DISTINCT -> {
        int[] perm = rng.fork("perm").permutation(n);
        for (int i = 0; i < n; i++) {
          v[i] = (perm[i] - n / 2.0) * 0.1 + 0.04 * u[i]; // neighbours differ by ≥ 0.06
        }
      }
    }
    return Tensors.of(DType.F64, v, shape.dims());
  }

  private static int[] filled(int n, int value) {
    int[] d = new int[n];
    Arrays.fill(d, value);
    return d;
  }
}
