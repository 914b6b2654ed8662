package org.incipit.tests;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;

import java.util.Arrays;
import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Gens;
import org.incipit.testkit.GradProperty;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Gradient checks of the ops whose inputs are structured: matrix products with 1-D promotion and
 * batch broadcasting, the index ops, losses with integer targets, convolution, pooling and
 * attention. Float64 central differences ({@link GradProperty}); pinned seeds. Sizes come from
 * {@link Gens#between}, so the ends of each range are mixed in; several sizes are drawn as one
 * array, so that a theory has at most four sources.
 */
class StructuredOpProperties {
  private static Tensor any(Rng rng, String name, int... dims) {
    return Gens.values(Shape.of(dims), Gens.Domain.ANY, rng.fork(name));
  }

  /** Three sizes, each drawn by its own generator. */
  private static Gen<int[]> sizes(Gen<Integer> a, Gen<Integer> b, Gen<Integer> c) {
    return a.zip(b, c, (x, y, z) -> new int[] {x, y, z}).describedAs(Arrays::toString);
  }

  private static Tensor indices(Rng rng, String name, int bound, int... dims) {
    long[] v = rng.fork(name).integers(Shape.of(dims).numel(), bound);
    return Tensors.ofLongs(v, dims);
  }

  /** (m, k, n) each 1–4 and one of six operand layouts. */
  @Test
  void matmulWithPromotionAndBatchBroadcasting() {
    qt().withFixedSeed(51L).withExamples(300)
        .forAll(sizes(Gens.between(1, 4), Gens.between(1, 4), Gens.between(1, 4)), Gens.between(0, 5), Gens.longs())
        .checkAssert((mkn, layout, seed) -> matmulWithPromotion(mkn[0], mkn[1], mkn[2], layout, seed));
  }

  static void matmulWithPromotion(int m, int k, int n, int layout, long seed) {
    Rng rng = Rng.seeded(seed);
    int[][][] cases = {
        {{m, k}, {k, n}}, {{k}, {k, n}}, {{m, k}, {k}}, {{k}, {k}},
        {{2, 1, m, k}, {3, k, n}}, {{2, m, k}, {k, n}}};
    int[][] shapes = cases[layout];
    GradProperty.assertGradients(in -> in[0].matmul(in[1]), any(rng, "a", shapes[0]), any(rng, "b", shapes[1]));
  }

  @Test
  void matmulOfTransposedViews() {
    qt().withFixedSeed(52L).withExamples(100)
        .forAll(Gens.between(1, 4), Gens.between(1, 4), Gens.between(1, 4), Gens.longs())
        .checkAssert((m, k, n, seed) -> {
          Rng rng = Rng.seeded(seed);
          GradProperty.assertGradients(in -> in[0].transpose(0, 1).matmul(in[1].transpose(-1, -2)),
              any(rng, "a", k, m), any(rng, "b", 2, n, k));
        });
  }

  /** (rows 1–4, cols 1–4, picks 1–5) and the axis 0 or 1. */
  @Test
  void indexOps() {
    qt().withFixedSeed(53L).withExamples(200)
        .forAll(sizes(Gens.between(1, 4), Gens.between(1, 4), Gens.between(1, 5)), Gens.between(0, 1), Gens.longs())
        .checkAssert((s, dim, seed) -> indexOps(s[0], s[1], s[2], dim, seed));
  }

  static void indexOps(int rows, int cols, int picks, int dim, long seed) {
    Rng rng = Rng.seeded(seed);
    int bound = dim == 0 ? rows : cols;
    Tensor index = indices(rng, "i", bound, picks);
    GradProperty.assertGradients(in -> in[0].indexSelect(dim, index).square(), any(rng, "x", rows, cols));
    int[] srcShape = dim == 0 ? new int[] {picks, cols} : new int[] {rows, picks};
    GradProperty.assertGradients(in -> in[0].indexAdd(dim, index, in[1]).square(),
        any(rng, "x", rows, cols), any(rng, "s", srcShape));
    Tensor gatherIndex = indices(rng, "g", bound, srcShape);
    GradProperty.assertGradients(in -> in[0].gather(dim, gatherIndex).exp(), any(rng, "x", rows, cols));
    GradProperty.assertGradients(in -> in[0].scatterAdd(dim, gatherIndex, in[1]).square(),
        any(rng, "x", rows, cols), any(rng, "s", srcShape));
    Tensor tokens = indices(rng, "t", rows, 2, picks);
    GradProperty.assertGradients(in -> Functional.embedding(tokens, in[0]).tanh(), any(rng, "w", rows, cols));
  }

  /** (batch 1–5, classes 2–5, extra axis 0–2). */
  @Test
  void crossEntropyWithSmoothingAndIgnoredTargets() {
    qt().withFixedSeed(54L).withExamples(150)
        .forAll(sizes(Gens.between(1, 5), Gens.between(2, 5), Gens.between(0, 2)), Gens.longs())
        .checkAssert((s, seed) -> crossEntropy(s[0], s[1], s[2], seed));
  }

  static void crossEntropy(int batch, int classes, int extra, long seed) {
    Rng rng = Rng.seeded(seed);
    int[] logitShape = extra == 0 ? new int[] {batch, classes} : new int[] {batch, classes, extra + 1};
    int[] targetShape = extra == 0 ? new int[] {batch} : new int[] {batch, extra + 1};
    long[] t = rng.fork("t").integers(Shape.of(targetShape).numel(), classes);
    t[0] = -100; // one ignored target; others count
    if (t.length == 1) {
      t[0] = 0;
    }
    Tensor target = Tensors.ofLongs(t, targetShape);
    Losses.CrossEntropyOptions smooth = Losses.CrossEntropyOptions.defaults().withLabelSmoothing(0.2);
    GradProperty.assertGradients(in -> Losses.crossEntropy(in[0], target, smooth), any(rng, "z", logitShape));
    GradProperty.assertGradients(in -> Losses.crossEntropy(in[0], target,
        Losses.CrossEntropyOptions.defaults().withReduction(Reduction.NONE)), any(rng, "z", logitShape));
  }

  /** (batch 1–2, groups 1–2, stride 1–2) and padding 0–1. */
  @Test
  void convolutionAndPooling() {
    qt().withFixedSeed(55L).withExamples(60)
        .forAll(sizes(Gens.between(1, 2), Gens.between(1, 2), Gens.between(1, 2)), Gens.between(0, 1), Gens.longs())
        .checkAssert((s, pad, seed) -> convolutionAndPooling(s[0], s[1], s[2], pad, seed));
  }

  static void convolutionAndPooling(int n, int groups, int stride, int pad, long seed) {
    Rng rng = Rng.seeded(seed);
    int c = 2 * groups;
    int o = 2 * groups;
    GradProperty.assertGradients(in -> Convolutions.conv2d(in[0], in[1], in[2], stride, pad, groups),
        any(rng, "x", n, c, 5, 4), any(rng, "w", o, c / groups, 3, 2), any(rng, "b", o));
    GradProperty.assertGradients(in -> Convolutions.conv1d(in[0], in[1], null, stride, pad, groups),
        any(rng, "x", n, c, 7), any(rng, "w", o, c / groups, 3));
    Tensor distinct = Gens.values(Shape.of(n, 2, 4, 4), Gens.Domain.DISTINCT, rng.fork("p"));
    GradProperty.assertGradients(in -> Convolutions.maxPool2d(in[0], 2, stride), distinct);
    GradProperty.assertGradients(in -> Convolutions.avgPool2d(in[0], 2, stride), any(rng, "a", n, 2, 4, 4));
  }

  @Test
  void attentionAndNormalisation() {
    qt().withFixedSeed(56L).withExamples(80).forAll(Gens.between(1, 4), Gens.between(1, 3), booleans().all(), Gens.longs())
        .checkAssert((t, d, causal, seed) -> {
          Rng rng = Rng.seeded(seed);
          GradProperty.assertGradients(in -> Functional.attention(in[0], in[1], in[2], causal),
              any(rng, "q", 1, 2, t, d), any(rng, "k", 1, 2, t, d), any(rng, "v", 1, 2, t, d));
          GradProperty.assertGradients(in -> Functional.layerNorm(in[0], new int[] {2, d}, in[1], in[2], 1e-5),
              any(rng, "x", t, 2, d), any(rng, "w", 2, d), any(rng, "b", 2, d));
        });
  }
}
