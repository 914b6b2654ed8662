package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.layers.ReferencePoints;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/**
 * LaneSegNet's identical reference-point initialization (Li et al. 2024, arXiv:2312.16108): at init
 * all P points of a query are equal and lie in (0, 1); the projection is Xavier uniform with zero
 * bias; refinement is detached and is the identity at Δ = 0. Sample checks α = 1e−6, pinned seeds.
 */
class ReferencePointsTest {
  @Test
  void allPointsOfAQueryAreEqualAndInsideTheUnitBox() {
    qt().withFixedSeed(31).withExamples(100)
        .forAll(integers().between(1, 6), integers().between(1, 12), integers().between(1, 12), integers().between(1, 3))
        .checkAssert((q, c, p, d) -> {
          Rng rng = Rng.seeded(q * 1000L + c * 100L + p * 10L + d);
          ReferencePoints init = new ReferencePoints(c, p, d, ReferencePoints.Mode.IDENTICAL, rng.fork("init"));
          Tensor queryPos = Tensors.randn(rng.fork("q"), q, c).mul(3.0);   // (Q, C), large values too
          Tensor refs = init.forward(queryPos);                             // (Q, P, D)
          assertArrayEquals(new int[] {q, p, d}, refs.shape().dims());
          double[] v = refs.toDoubles();
          for (int i = 0; i < q; i++) {
            for (int j = 0; j < p; j++) {
              for (int k = 0; k < d; k++) {
                double x = v[(i * p + j) * d + k];
                assertEquals(v[i * p * d + k], x, 0, "point " + j + " of query " + i + " equals point 0");
                assertTrue(x > 0 && x < 1, "in (0, 1): " + x);
              }
            }
          }
        });
  }

  @Test
  void batchedQueriesKeepTheirLeadingAxes() {
    ReferencePoints init = new ReferencePoints(4, 5, 3, ReferencePoints.Mode.IDENTICAL, Rng.seeded(2));
    assertArrayEquals(new int[] {2, 7, 5, 3}, init.forward(Tensors.randn(Rng.seeded(3), 2, 7, 4)).shape().dims());
    ReferencePoints free = new ReferencePoints(4, 5, 3, ReferencePoints.Mode.INDEPENDENT, Rng.seeded(2));
    double[] v = free.forward(Tensors.randn(Rng.seeded(3), 7, 4)).toDoubles(); // (7, 5, 3)
    assertTrue(v[0] != v[3], "independent points differ");
    assertThrows(IllegalArgumentException.class, () -> new ReferencePoints(0, 5, 3, ReferencePoints.Mode.IDENTICAL,
        Rng.seeded(1)));
  }

  @Test
  void projectionIsXavierUniformWithZeroBias() {
    int c = 512;
    int p = 10;
    ReferencePoints init = new ReferencePoints(c, p, 3, ReferencePoints.Mode.INDEPENDENT, Rng.seeded(5));
    double[] w = init.projection().weight().value().toDoubles(); // (30, 512)
    double bound = Math.sqrt(6.0 / (c + 3 * p));
    SampleCheck.assertWithin(w, -bound, bound);
    SampleCheck.assertVariance(w, bound * bound / 3, SampleCheck.UNIFORM_KURTOSIS, SampleCheck.DEFAULT_ALPHA);
    assertTrue(Arrays.stream(init.projection().bias().value().toDoubles()).allMatch(b -> b == 0), "bias 0");
  }

  @Test
  void theGradientOfTheSharedPointIsTheSumOverItsCopies() {
    Tensor point = Tensors.of(DType.F64, new double[] {0.2, 0.7}, 1, 2).withGrad();  // (1, D)
    Tensor weights = Tensors.of(DType.F64, new double[] {1, 2, 3, 4, 5, 6}, 1, 3, 2); // (1, P, D)
    Gradients g = ReferencePoints.repeat(point, 3).mul(weights).sum().backward();
    assertArrayEquals(new double[] {1 + 3 + 5, 2 + 4 + 6}, g.of(point).toDoubles(), 0);
  }

  @Test
  void refinementIsDetachedAndTheIdentityAtZeroDelta() {
    Tensor refs = Tensors.of(DType.F64, new double[] {0.1, 0.5, 0.93, 1e-7}, 1, 2, 2).withGrad();
    Tensor same = ReferencePoints.refine(refs, refs.constant(0.0).detach());
    double r = ReferencePoints.EPS / (1 - 1e-7); // x < ε: σ⁻¹ uses ε/(1 − x), so σ gives r/(1 + r) ≈ ε
    assertArrayEquals(new double[] {0.1, 0.5, 0.93, r / (1 + r)}, same.toDoubles(), 1e-12,
        "σ(σ⁻¹(x)) = x; below ε the point is lifted to ≈ ε");
    Tensor delta = Tensors.of(DType.F64, new double[] {0.3, -0.2, 0.1, 0}, 1, 2, 2).withGrad();
    Gradients g = ReferencePoints.refine(refs, delta).sum().backward();
    assertTrue(g.of(delta).toDoubles()[0] > 0, "Δ gets a gradient");
    assertThrows(RuntimeException.class, () -> g.of(refs), "no gradient through the previous points");
  }
}
