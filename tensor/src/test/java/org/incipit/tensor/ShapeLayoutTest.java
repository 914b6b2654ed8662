package org.incipit.tensor;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ShapeLayoutTest {
  @Test
  void broadcastFollowsNumPy() {
    assertEquals(Shape.of(2, 3, 4), Shape.broadcast("add", Shape.of(3, 1), Shape.of(2, 1, 4)));
    assertEquals(Shape.of(5), Shape.broadcast("add", Shape.scalar(), Shape.of(5)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Shape.broadcast("mul", Shape.of(2, 3), Shape.of(4)));
    assertTrue(e.getMessage().contains("mul") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"),
        e.getMessage());
  }

  @Test
  void axisErrorsNameTheAxisAndRank() {
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Shape.of(2, 3).axis(2));
    assertTrue(e.getMessage().contains("dimension 2") && e.getMessage().contains("rank 2"), e.getMessage());
    assertEquals(1, Shape.of(2, 3).axis(-1));
  }

  @Test
  void viewsComputeStrides() {
    Layout l = Layout.contiguous(Shape.of(2, 3, 4));
    assertArrayEquals(new int[] {12, 4, 1}, l.strides());
    Layout p = l.permute(2, 0, 1);
    assertEquals(Shape.of(4, 2, 3), p.shape());
    assertArrayEquals(new int[] {1, 12, 4}, p.strides());
    Layout s = l.slice(1, 1, 3, 1);
    assertEquals(4, s.offset());
    assertEquals(Shape.of(2, 2, 4), s.shape());
    Layout stepped = l.slice(2, -3, 100, 2); // Python clamps: indices 1, 3
    assertEquals(Shape.of(2, 3, 2), stepped.shape());
    assertEquals(1, stepped.offset());
    assertEquals(2, stepped.stride(2));
    Layout e = Layout.contiguous(Shape.of(3, 1)).expand(Shape.of(2, 3, 5));
    assertArrayEquals(new int[] {0, 1, 0}, e.strides());
    assertThrows(IllegalArgumentException.class, () -> Layout.contiguous(Shape.of(3)).expand(Shape.of(4)));
  }

  @Test
  void reshapeOfATransposeNeedsACopy() {
    Layout t = Layout.contiguous(Shape.of(2, 3)).permute(1, 0);
    assertNull(t.reshapeView(Shape.of(6)));
    assertNotNull(t.reshapeView(Shape.of(3, 1, 2)), "inserting a unit axis keeps a view");
    Layout sliced = Layout.contiguous(Shape.of(4, 6)).slice(1, 0, 3, 1); // rows of 3 inside rows of 6
    assertNotNull(sliced.reshapeView(Shape.of(4, 3, 1)));
    assertNull(sliced.reshapeView(Shape.of(12)));
  }

  /**
   * A view made by reshapeView addresses the same elements, in row-major order, as the original.
   * Layouts of rank 1–4 with dimensions 1–4 (size-1 axes included), contiguous, reversed, sliced
   * on the last axis or stepped on the first; target shapes (split, n/split) or (n).
   */
  @Test
  void reshapeViewAddressesTheSameElements() {
    qt().withFixedSeed(20261130L).withExamples(300).forAll(layouts(), integers().between(1, 4))
        .checkAssert((view, split) -> {
          int n = view.shape().numel();
          Shape target = n % split == 0 ? Shape.of(split, n / split) : Shape.of(n);
          Layout r = view.reshapeView(target);
          if (r == null) {
            return; // a copy is needed; nothing to compare
          }
          for (int i = 0; i < n; i++) {
            assertEquals(view.bufferIndex(i), r.bufferIndex(i), "element " + i + " of " + view + " as " + target);
          }
        });
  }

  static Gen<Layout> layouts() {
    Gen<int[]> dims = Generate.intArrays(integers().between(1, 4), integers().between(1, 4));
    return dims.zip(integers().between(0, 3), (d, kind) -> {
      Layout l = Layout.contiguous(Shape.of(d));
      int r = d.length;
      return switch (kind) {
        case 0 -> l;
        case 1 -> {
          int[] perm = new int[r];
          for (int i = 0; i < r; i++) {
            perm[i] = r - 1 - i;
          }
          yield l.permute(perm);
        }
        case 2 -> l.slice(r - 1, 0, Math.max(1, d[r - 1] - 1), 1);
        default -> l.slice(0, 0, d[0], 2);
      };
    });
  }
}
