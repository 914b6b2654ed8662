package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.function.Function;
import net.jqwik.api.*;
import net.jqwik.api.statistics.Statistics;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * Gradient checks of every differentiable op over generated shapes and values (float64, central
 * differences, PyTorch's tolerances): element by element when the inputs are small, by a random
 * directional derivative (vᵀJu) otherwise, and linearity in the upstream gradient always.
 * Seeds are pinned, so a failure reproduces; a coverage check asserts that every op of the catalog
 * was drawn several times.
 */
class GradientProperties {
  private static final GradCheck.Options OPTIONS = GradCheck.Options.float64();
  private static final int ELEMENTWISE_LIMIT = 48;

  static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
    int numel = 0;
    for (Tensor t : inputs) {
      numel += t.numel();
    }
    if (numel <= ELEMENTWISE_LIMIT) {
      GradCheck.assertMatches(f, inputs, OPTIONS);
    } else {
      GradCheck.assertMatchesFast(f, inputs, OPTIONS); // with linearity
    }
  }

  @Provide
  Arbitrary<OpCatalog.Unary> unaryOps() {
    return Arbitraries.of(OpCatalog.UNARY);
  }

  @Provide
  Arbitrary<OpCatalog.Binary> binaryOps() {
    return Arbitraries.of(OpCatalog.BINARY);
  }

  @Provide
  Arbitrary<int[]> shapes() {
    return Generators.shapes();
  }

  @Property(tries = 1500, seed = "42")
  void unaryOpsMatchCentralDifferences(@ForAll("unaryOps") OpCatalog.Unary op, @ForAll("shapes") int[] dims,
                                       @ForAll int pick, @ForAll long seed) {
    Assume.that(dims.length >= op.minRank());
    Tensor x = Generators.values(Shape.of(dims), op.domain(), Rng.seeded(seed));
    check(in -> op.f().apply(in[0], pick), x);
    Statistics.collect(op.name());
    Statistics.coverage(c -> OpCatalog.UNARY.forEach(u -> c.check(u.name()).count(n -> n >= 5)));
  }

  @Property(tries = 600, seed = "43")
  void binaryOpsMatchCentralDifferencesUnderBroadcasting(@ForAll("binaryOps") OpCatalog.Binary op,
                                                         @ForAll("shapes") int[] dims, @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    Shape out = Shape.of(dims);
    Tensor a = Generators.values(Generators.broadcastable(out, rng.fork("sa")), op.domainA(), rng.fork("a"));
    Tensor b = Generators.values(Generators.broadcastable(out, rng.fork("sb")), op.domainB(), rng.fork("b"));
    check(in -> op.f().apply(in[0], in[1]), a, b);
    Statistics.collect(op.name());
    Statistics.coverage(c -> OpCatalog.BINARY.forEach(u -> c.check(u.name()).count(n -> n >= 20)));
  }

  /** The same op under NoGrad gives bit-identical values to the recorded op. */
  @Property(tries = 400, seed = "44")
  void noGradValuesEqualRecordedValues(@ForAll("unaryOps") OpCatalog.Unary op, @ForAll("shapes") int[] dims,
                                       @ForAll int pick, @ForAll long seed) {
    Assume.that(dims.length >= op.minRank());
    Tensor x = Generators.values(Shape.of(dims), op.domain(), Rng.seeded(seed)).withGrad();
    double[] recorded = op.f().apply(x, pick).toDoubles();
    double[] plain = NoGrad.run(() -> op.f().apply(x, pick)).toDoubles();
    assertArrayEquals(recorded, plain, 0.0);
  }
}
