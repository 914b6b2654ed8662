package org.incipit.testkit;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.function.Function;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Gens.Domain;
import org.junit.jupiter.api.Test;

/**
 * The kit's generators stay in their ranges, produce their edge cases, and GradProperty passes a
 * correct backward rule and catches a wrong one. Counts are over 600 pinned-seed draws; the
 * lower bounds are a third of the expected counts or less, so they hold for any seed in practice.
 * QuickTheories skips an example whose draws repeat an earlier one's, so the counting properties
 * draw a random long beside the value ({@code nonce}), as a seed does in the project's properties.
 */
class GensTest {
  @Test
  void dimsStayInRangeAndMixInTheirEdgeCases() {
    int[] ranks = new int[5];
    int[] scalarsAndLargest = new int[2];
    qt().withFixedSeed(1).withExamples(600).forAll(Gens.dims(), longs().all()).checkAssert((d, nonce) -> {
      assertTrue(d.length <= 4, Arrays.toString(d));
      for (int v : d) {
        assertTrue(v >= 1 && v <= 5, Arrays.toString(d));
      }
      ranks[d.length]++;
      scalarsAndLargest[0] += d.length == 0 ? 1 : 0;
      scalarsAndLargest[1] += Arrays.equals(d, new int[] {5, 5, 5, 5}) ? 1 : 0;
    });
    for (int r = 0; r <= 4; r++) {
      assertTrue(ranks[r] >= 40, "rank " + r + " drawn " + ranks[r] + " times: " + Arrays.toString(ranks));
    }
    assertTrue(scalarsAndLargest[0] >= 80, "scalars (≈ 126 expected): " + scalarsAndLargest[0]);
    assertTrue(scalarsAndLargest[1] >= 10, "the largest shape (≈ 30 expected): " + scalarsAndLargest[1]);
    int[] zeros = new int[1];
    qt().withFixedSeed(2).withExamples(200).forAll(Gens.dims(1, 3, 0, 2), longs().all())
        .checkAssert((d, nonce) -> zeros[0] += Arrays.stream(d).anyMatch(v -> v == 0) ? 1 : 0);
    assertTrue(zeros[0] >= 30, "shapes with an empty dimension: " + zeros[0]);
  }

  @Test
  void betweenStaysInRangeAndHitsItsEnds() {
    int[] ends = new int[2];
    qt().withFixedSeed(3).withExamples(300).forAll(Gens.between(16, 300), longs().all()).checkAssert((v, nonce) -> {
      assertTrue(v >= 16 && v <= 300, "" + v);
      ends[0] += v == 16 ? 1 : 0;
      ends[1] += v == 300 ? 1 : 0;
    });
    assertTrue(ends[0] >= 5 && ends[1] >= 5, "ends drawn " + Arrays.toString(ends) + " times (≈ 20 expected)");
    assertThrows(IllegalArgumentException.class, () -> Gens.between(3, 2));
  }

  @Test
  void broadcastPairsBroadcastToTheirOutput() {
    qt().withFixedSeed(4).withExamples(300).forAll(Gens.broadcastPairs()).checkAssert(p -> {
      assertEquals(p.out(), Shape.broadcast("test", p.a(), p.out()), p.toString());
      assertEquals(p.out(), Shape.broadcast("test", p.b(), p.out()), p.toString());
    });
  }

  @Test
  void valuesLieInTheirDomain() {
    for (Domain domain : Domain.values()) {
      qt().withFixedSeed(5).withExamples(50).forAll(Gens.tensors(Gens.shapes(), domain)).checkAssert(t -> {
        double[] v = t.toDoubles();
        for (double x : v) {
          boolean in = switch (domain) {
            case ANY -> x >= -2 && x < 2;
            case DISTINCT -> Math.abs(x) <= 0.05 * v.length + 0.04;
            case POSITIVE -> x >= 0.3 && x < 2.3;
            case AWAY_FROM_ZERO -> Math.abs(x) >= 0.1 && Math.abs(x) < 2;
          };
          assertTrue(in, domain + ": " + x);
        }
        if (domain == Domain.DISTINCT) {
          double[] s = v.clone();
          Arrays.sort(s);
          for (int i = 1; i < s.length; i++) {
            assertTrue(s[i] - s[i - 1] >= 0.06 - 1e-12, "neighbours " + s[i - 1] + ", " + s[i]);
          }
        }
      });
    }
  }

  @Test
  void gradPropertyPassesACorrectRuleAndCatchesAWrongOne() {
    GradProperty.forAll(6, 20, Gens.tensors(Gens.shapes(0, 3, 1, 4), Domain.ANY), x -> x.sin().mul(x)); // both modes
    // identity forward whose rule claims the derivative 2
    Function<Tensor, Tensor> doubled = x -> {
      Tensor c = x.contiguous();
      return Tensor.record("doubled", c.buffer(), c.layout(), (gy, y, ins) -> new Tensor[] {gy.mul(2.0)}, c);
    };
    AssertionError e = assertThrows(AssertionError.class,
        () -> GradProperty.forAll(6, 20, Gens.tensors(Gens.shapes(0, 2, 1, 3), Domain.ANY), doubled));
    assertTrue(e.getMessage().contains("Seed was 6"), e.getMessage());
  }
}
