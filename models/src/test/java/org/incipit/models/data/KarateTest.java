package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.nn.graph.Graph;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

class KarateTest {
  /** networkx's club1 ("Mr. Hi"); every other member is "Officer". */
  private static final int[] MR_HI = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 16, 17, 19, 21};

  @Test
  void has34Members78FriendshipsAndTwoFactionsOf17() {
    NodeData club = Karate.load();
    Graph g = club.graph();
    assertEquals(34, g.numNodes());
    assertEquals(2 * 78, g.numEdges(), "each friendship in both directions");
    assertTrue(g.isUndirected());
    assertNull(g.edgeWeight());
    for (int e = 0; e < g.numEdges(); e++) {
      assertNotEquals(g.source(e), g.target(e), "no self loops");
    }
    assertEquals(2, club.classes());
    assertArrayEquals(new int[] {17, 17}, club.nodes().classCounts());
    long[] y = club.labels().toLongs();
    boolean[] hi = new boolean[34];
    for (int i : MR_HI) {
      hi[i] = true;
    }
    for (int i = 0; i < 34; i++) {
      assertEquals(hi[i] ? 0 : 1, y[i], "member " + i);
    }
    assertEquals("Mr. Hi", Karate.CLUBS.get((int) y[0]));
    assertEquals("Officer", Karate.CLUBS.get((int) y[33]));
  }

  @Test
  void degreesAreThoseOfZacharysGraph() {
    // degrees of networkx's karate_club_graph(), node 0 (Mr. Hi) 16 and node 33 (the Officer) 17
    int[] want = {16, 9, 10, 6, 3, 4, 4, 4, 5, 2, 3, 1, 2, 5, 2, 2, 2, 2, 2, 3, 2, 2, 2, 5, 3, 3, 2, 4, 3, 4, 4, 6, 12, 17};
    assertArrayEquals(want, Karate.load().graph().inDegrees());
  }

  @Test
  void featuresAreOneHotNodeIds() {
    var x = Karate.load().features();
    assertEquals(Shape.of(34, 34), x.shape());
    assertEquals(DType.F32, x.dtype());
    double[] v = x.toDoubles();
    for (int i = 0; i < 34; i++) {
      for (int j = 0; j < 34; j++) {
        assertEquals(i == j ? 1.0 : 0.0, v[i * 34 + j]);
      }
    }
  }

  @Test
  void weightedClubCarriesTheInteractionCountsSymmetrically() {
    Graph g = Karate.loadWeighted().graph();
    assertTrue(g.isUndirected());
    double total = 0;
    for (double w : g.edgeWeight().toDoubles()) {
      assertTrue(w >= 1 && w <= 7 && w == Math.rint(w), "weight " + w);
      total += w;
    }
    assertEquals(2 * 231, total, 0.0, "networkx's total weight, both directions");
  }

  @Test
  void malformedFilesAreRejectedNamingTheLine() {
    String ok = "3,2,Mr. Hi,Officer\n0,0\n1,0\n2,1\n0,1,1\n1,2,2\n";
    NodeData small = Karate.parse("test", ok, false);
    assertEquals(4, small.graph().numEdges());
    var order = assertThrows(IllegalStateException.class,
        () -> Karate.parse("test", ok.replace("1,2,2", "2,1,2"), false));
    assertTrue(order.getMessage().contains("line 6"), order.getMessage());
    var header = assertThrows(IllegalStateException.class, () -> Karate.parse("test", ok.replace("Officer", "X"), false));
    assertTrue(header.getMessage().contains("line 1"), header.getMessage());
    assertThrows(IllegalStateException.class, () -> Karate.parse("test", ok.replace("2,1\n", "2,5\n"), false));
    assertThrows(IllegalStateException.class, () -> Karate.parse("test", ok.replace("3,2,", "3,3,"), false));
    assertThrows(IllegalStateException.class, () -> Karate.parse("test", ok.replace("1,0\n", "0,0\n"), false));
  }
}
