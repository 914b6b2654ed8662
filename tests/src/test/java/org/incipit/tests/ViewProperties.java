package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.QuickTheory.qt;

import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.autograd.ops.SliceScatter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Gens;
import org.junit.jupiter.api.Test;

/**
 * View round-trips restore their input exactly, and the gradient of a broadcast input equals the
 * gradient of the materialised broadcast summed over the expanded axes. Shapes, picks and seeds
 * come from the test kit's {@link Gens}, edge cases mixed in; the round trips and the broadcast
 * gradient also see empty dimensions (sizes 0–5).
 */
class ViewProperties {
  private static Tensor values(int[] dims, long seed) {
    return Gens.values(Shape.of(dims), Gens.Domain.ANY, Rng.seeded(seed));
  }

  @Test
  void viewRoundTripsRestoreTheInput() {
    qt().withFixedSeed(61L).withExamples(300).forAll(Gens.dims(0, 4, 0, 5), Gens.ints(), Gens.longs())
        .checkAssert(ViewProperties::roundTripsRestoreTheInput);
  }

  static void roundTripsRestoreTheInput(int[] dims, int pick, long seed) {
    Tensor x = values(dims, seed);
    double[] v = x.toDoubles();
    int r = x.rank();
    assertArrayEquals(v, x.reshape(-1).reshape(dims).toDoubles(), 0.0);
    int[] rev = OpCatalog.reversed(r);
    assertArrayEquals(v, x.permute(rev).permute(rev).toDoubles(), 0.0);
    assertArrayEquals(v, x.permute(rev).contiguous().permute(rev).toDoubles(), 0.0);
    assertArrayEquals(v, x.unsqueeze(0).squeeze(0).toDoubles(), 0.0);
    assertArrayEquals(v, x.unsqueeze(0).expand(OpCatalog.withLead(x, 3)).select(0, 2).toDoubles(), 0.0);
    if (r > 0) {
      int a = Math.floorMod(pick, r);
      int n = x.size(a);
      int cut = Math.floorMod(pick, n + 1);
      Tensor joined = Tensors.cat(a, x.slice(a, 0, cut), x.slice(a, cut, n));
      assertArrayEquals(v, joined.toDoubles(), 0.0);
      assertArrayEquals(v, SliceScatter.pad(x, a, 2, 1).slice(a, 2, 2 + n).toDoubles(), 0.0);
      assertArrayEquals(v, Tensors.stack(a, x, x.neg()).select(a, 0).toDoubles(), 0.0);
      assertArrayEquals(v, x.transpose(0, a).transpose(0, a).toDoubles(), 0.0);
    }
  }

  /** b of a shape that broadcasts to a's. */
  @Test
  void broadcastGradientIsTheSumOverExpandedAxes() {
    qt().withFixedSeed(62L).withExamples(300)
        .forAll(Gens.shapes(0, 4, 0, 5)
            .flatMap(out -> Gens.broadcastableTo(out).map(small -> new Gens.Broadcast(out, out, small)))
            .describedAs(p -> p.b() + " → " + p.out()), Gens.longs())
        .checkAssert((shapes, seed) -> broadcastGradientIsTheSum(shapes.out(), shapes.b(), seed));
  }

  static void broadcastGradientIsTheSum(Shape out, Shape small, long seed) {
    Rng rng = Rng.seeded(seed);
    Tensor a = Gens.values(out, Gens.Domain.ANY, rng.fork("a"));
    Tensor b = Gens.values(small, Gens.Domain.ANY, rng.fork("b")).withGrad();
    Tensor bFull = b.detach().expand(out).contiguous().withGrad(); // the broadcast, materialised
    Tensor gb = a.mul(b).sin().sum().backward().of(b);
    Tensor gFull = a.mul(bFull).sin().sum().backward().of(bFull);
    assertEquals(small, gb.shape());
    // sum the materialised gradient over the leading axes and the axes where b has size 1
    int lead = out.rank() - small.rank();
    Tensor expected = gFull;
    for (int i = out.rank() - 1; i >= 0; i--) {
      if (i < lead || small.dim(i - lead) == 1) {
        expected = expected.sumKeepDims(i);
      }
    }
    assertArrayEquals(expected.reshape(small.dims()).toDoubles(), gb.toDoubles(), 1e-12);
  }

  /** Shapes of rank 2–4 (the views below need two axes). */
  @Test
  void viewsShareTheirBuffer() {
    qt().withFixedSeed(63L).withExamples(100).forAll(Gens.dims(2, 4, 1, 5), Gens.longs()).checkAssert((dims, seed) -> {
      Tensor x = values(dims, seed);
      Gradients g = x.withGrad().transpose(0, 1).slice(0, 0, 1).sum().backward();
      assertEquals(1, g.size());
      assertSame(x.buffer(), x.transpose(0, 1).slice(1, 0, 1, 1).buffer());
      assertSame(x.buffer(), x.unsqueeze(1).expand(OpCatalog.withLead(x.unsqueeze(1), 2)).buffer());
    });
  }
}
