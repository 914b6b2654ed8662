package org.incipit.tests;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * Gradient checks of the ops whose inputs are structured: matrix products with 1-D promotion and
 * batch broadcasting, the index ops, losses with integer targets, convolution, pooling and
 * attention. Float64 central differences; pinned seeds.
 */
class StructuredOpProperties {
  private static Tensor any(Rng rng, String name, int... dims) {
    return Generators.values(Shape.of(dims), OpCatalog.Domain.ANY, rng.fork(name));
  }

  private static Tensor indices(Rng rng, String name, int bound, int... dims) {
    long[] v = rng.fork(name).integers(Shape.of(dims).numel(), bound);
    return Tensors.ofLongs(v, dims);
  }

  @Property(tries = 300, seed = "51")
  void matmulWithPromotionAndBatchBroadcasting(@ForAll @IntRange(min = 1, max = 4) int m,
      @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 1, max = 4) int n,
      @ForAll @IntRange(min = 0, max = 5) int layout, @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    int[][][] cases = {
        {{m, k}, {k, n}}, {{k}, {k, n}}, {{m, k}, {k}}, {{k}, {k}},
        {{2, 1, m, k}, {3, k, n}}, {{2, m, k}, {k, n}}};
    int[][] shapes = cases[layout];
    GradientProperties.check(in -> in[0].matmul(in[1]), any(rng, "a", shapes[0]), any(rng, "b", shapes[1]));
  }

  @Property(tries = 100, seed = "52")
  void matmulOfTransposedViews(@ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int k,
                               @ForAll @IntRange(min = 1, max = 4) int n, @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    GradientProperties.check(in -> in[0].transpose(0, 1).matmul(in[1].transpose(-1, -2)),
        any(rng, "a", k, m), any(rng, "b", 2, n, k));
  }

  @Property(tries = 200, seed = "53")
  void indexOps(@ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 1, max = 4) int cols,
                @ForAll @IntRange(min = 1, max = 5) int picks, @ForAll @IntRange(min = 0, max = 1) int dim,
                @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    int bound = dim == 0 ? rows : cols;
    Tensor index = indices(rng, "i", bound, picks);
    GradientProperties.check(in -> in[0].indexSelect(dim, index).square(), any(rng, "x", rows, cols));
    int[] srcShape = dim == 0 ? new int[] {picks, cols} : new int[] {rows, picks};
    GradientProperties.check(in -> in[0].indexAdd(dim, index, in[1]).square(),
        any(rng, "x", rows, cols), any(rng, "s", srcShape));
    Tensor gatherIndex = indices(rng, "g", bound, srcShape);
    GradientProperties.check(in -> in[0].gather(dim, gatherIndex).exp(), any(rng, "x", rows, cols));
    GradientProperties.check(in -> in[0].scatterAdd(dim, gatherIndex, in[1]).square(),
        any(rng, "x", rows, cols), any(rng, "s", srcShape));
    Tensor tokens = indices(rng, "t", rows, 2, picks);
    GradientProperties.check(in -> Functional.embedding(tokens, in[0]).tanh(), any(rng, "w", rows, cols));
  }

  @Property(tries = 150, seed = "54")
  void crossEntropyWithSmoothingAndIgnoredTargets(@ForAll @IntRange(min = 1, max = 5) int batch,
      @ForAll @IntRange(min = 2, max = 5) int classes, @ForAll @IntRange(min = 0, max = 2) int extra,
      @ForAll long seed) {
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
    GradientProperties.check(in -> Losses.crossEntropy(in[0], target, smooth), any(rng, "z", logitShape));
    GradientProperties.check(in -> Losses.crossEntropy(in[0], target,
        Losses.CrossEntropyOptions.defaults().withReduction(Reduction.NONE)), any(rng, "z", logitShape));
  }

  @Property(tries = 60, seed = "55")
  void convolutionAndPooling(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int groups,
                             @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(min = 0, max = 1) int pad,
                             @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    int c = 2 * groups;
    int o = 2 * groups;
    GradientProperties.check(in -> Convolutions.conv2d(in[0], in[1], in[2], stride, pad, groups),
        any(rng, "x", n, c, 5, 4), any(rng, "w", o, c / groups, 3, 2), any(rng, "b", o));
    GradientProperties.check(in -> Convolutions.conv1d(in[0], in[1], null, stride, pad, groups),
        any(rng, "x", n, c, 7), any(rng, "w", o, c / groups, 3));
    Tensor distinct = Generators.values(Shape.of(n, 2, 4, 4), OpCatalog.Domain.DISTINCT, rng.fork("p"));
    GradientProperties.check(in -> Convolutions.maxPool2d(in[0], 2, stride), distinct);
    GradientProperties.check(in -> Convolutions.avgPool2d(in[0], 2, stride), any(rng, "a", n, 2, 4, 4));
  }

  @Property(tries = 80, seed = "56")
  void attentionAndNormalisation(@ForAll @IntRange(min = 1, max = 4) int t, @ForAll @IntRange(min = 1, max = 3) int d,
                                 @ForAll boolean causal, @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    GradientProperties.check(in -> Functional.attention(in[0], in[1], in[2], causal),
        any(rng, "q", 1, 2, t, d), any(rng, "k", 1, 2, t, d), any(rng, "v", 1, 2, t, d));
    GradientProperties.check(in -> Functional.layerNorm(in[0], new int[] {2, d}, in[1], in[2], 1e-5),
        any(rng, "x", t, 2, d), any(rng, "w", 2, d), any(rng, "b", 2, d));
  }
}
