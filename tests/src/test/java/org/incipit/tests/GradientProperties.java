package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;

import java.util.HashMap;
import java.util.Map;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Gens;
import org.incipit.testkit.GradProperty;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * Gradient checks of every differentiable op over generated shapes and values (float64, central
 * differences, PyTorch's tolerances): element by element when the inputs are small, by a random
 * directional derivative (vᵀJu) otherwise, and linearity in the upstream gradient always
 * ({@link GradProperty}). Shapes come from the test kit's {@link Gens} (rank 0–4, dimensions 1–5,
 * scalars, all-ones and the largest shape mixed in; a shape below an op's minimum rank is redrawn);
 * picks and seeds have 0, ±1 and the extremes mixed in. Seeds are pinned, so a failure reproduces;
 * after the run a coverage check asserts that every op of the catalog was drawn several times.
 */
class GradientProperties {
  @Test
  void unaryOpsMatchCentralDifferences() {
    Map<String, Integer> drawn = new HashMap<>();
    qt().withFixedSeed(42L).withExamples(1500)
        .forAll(Generate.pick(OpCatalog.UNARY), Gens.dims(), Gens.ints(), Gens.longs())
        .assuming((op, dims, pick, seed) -> dims.length >= op.minRank())
        .checkAssert((op, dims, pick, seed) -> {
          Tensor x = Gens.values(Shape.of(dims), op.domain(), Rng.seeded(seed));
          GradProperty.assertGradients(in -> op.f().apply(in[0], pick), x);
          drawn.merge(op.name(), 1, Integer::sum);
        });
    OpCatalog.assertCoverage(drawn, OpCatalog.UNARY.stream().map(OpCatalog.Unary::name).toList(), 5);
  }

  @Test
  void binaryOpsMatchCentralDifferencesUnderBroadcasting() {
    Map<String, Integer> drawn = new HashMap<>();
    qt().withFixedSeed(43L).withExamples(600)
        .forAll(Generate.pick(OpCatalog.BINARY), Gens.broadcastPairs(), Gens.longs())
        .checkAssert((op, shapes, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor a = Gens.values(shapes.a(), op.domainA(), rng.fork("a"));
          Tensor b = Gens.values(shapes.b(), op.domainB(), rng.fork("b"));
          GradProperty.assertGradients(in -> op.f().apply(in[0], in[1]), a, b);
          drawn.merge(op.name(), 1, Integer::sum);
        });
    OpCatalog.assertCoverage(drawn, OpCatalog.BINARY.stream().map(OpCatalog.Binary::name).toList(), 20);
  }

  /** The same op under NoGrad gives bit-identical values to the recorded op. */
  @Test
  void noGradValuesEqualRecordedValues() {
    qt().withFixedSeed(44L).withExamples(400)
        .forAll(Generate.pick(OpCatalog.UNARY), Gens.dims(), Gens.ints(), Gens.longs())
        .assuming((op, dims, pick, seed) -> dims.length >= op.minRank())
        .checkAssert((op, dims, pick, seed) -> {
          Tensor x = Gens.values(Shape.of(dims), op.domain(), Rng.seeded(seed)).withGrad();
          double[] recorded = op.f().apply(x, pick).toDoubles();
          double[] plain = NoGrad.run(() -> op.f().apply(x, pick)).toDoubles();
          assertArrayEquals(recorded, plain, 0.0);
        });
  }
}
