package org.incipit.models.data;

import java.util.List;
import org.incipit.autograd.Tensors;
import org.incipit.nn.graph.Graph;
import org.incipit.tensor.DType;

/**
 * Zachary's karate club: the friendships among 34 members of a university karate club, which
 * split into two factions, around the instructor "Mr. Hi" (node 0) and the administrator, the
 * "Officer" (node 33). W. W. Zachary (1977), "An Information Flow Model for Conflict and Fission in
 * Small Groups", <i>Journal of Anthropological Research</i> 33(4), 452–473.
 *
 * <p>Source: networkx 2.8.8's {@code karate_club_graph()} ({@code networkx/generators/social.py},
 * Debian {@code python3-networkx}); licence and how the file was made in {@code DATA-LICENSES.md}.
 * 78 undirected edges, 17 members per faction; as in networkx, node 8 belongs to Mr. Hi's club.
 * The first line is a header {@code 34,78,Mr. Hi,Officer} (nodes, edges, class names); then one
 * line {@code node,club} per node (club 0 = Mr. Hi, 1 = Officer) and one line {@code u,v,weight}
 * per edge (u &lt; v; the weight is the number of contexts in which the two interacted, networkx's
 * {@code weight} attribute).
 *
 * <pre>{@code
 * NodeData club = Karate.load();
 * club.graph();      // 34 nodes, 156 directed edges (each friendship both ways)
 * club.features();   // (34, 34) identity: one-hot node ids, as in Kipf & Welling's karate demo
 * club.labels();     // (34) faction 0 or 1
 * }</pre>
 */
public final class Karate {
  /** The resource under {@code data/} on the classpath. */
  public static final String RESOURCE = "karate.csv.gz";
  /** Faction names in class-id order. */
  public static final List<String> CLUBS = List.of("Mr. Hi", "Officer");
  /** Number of members. */
  public static final int NODES = 34;
  /** Number of undirected friendships. */
  public static final int EDGES = 78;

  private Karate() {}

  /** The unweighted club: graph (both directions of each edge), identity features (34, 34) F32, factions. */
  public static NodeData load() {
    return parse("data/" + RESOURCE, DataResources.text(RESOURCE), false);
  }

  /** As {@link #load()}, with Zachary's interaction counts as F32 edge weights (the same in both directions). */
  public static NodeData loadWeighted() {
    return parse("data/" + RESOURCE, DataResources.text(RESOURCE), true);
  }

  /** Parses the CSV described in the class comment. */
  static NodeData parse(String label, String csv, boolean weighted) {
    String[] header = DataResources.header(csv);
    if (header.length != 2 + CLUBS.size() || !List.of(header).subList(2, header.length).equals(CLUBS)) {
      throw DataResources.malformed(label, 1, "is not the header 'N,E," + String.join(",", CLUBS) + "'");
    }
    int n = DataResources.integer(label, 1, 0, header[0], 1, Integer.MAX_VALUE);
    int e = DataResources.integer(label, 1, 1, header[1], 0, Integer.MAX_VALUE);
    String[] lines = csv.split("\r?\n", -1);
    if (lines.length < 1 + n) {
      throw new IllegalStateException("dataset resource " + label + " has " + (lines.length - 1)
          + " lines after the header, fewer than its " + n + " nodes");
    }
    List<DataResources.Row> nodes = DataResources.csv(label, String.join("\n", List.of(lines).subList(0, 1 + n)), 1, 2);
    List<DataResources.Row> edges = DataResources.csv(label, csv, 1 + n, 3);
    if (nodes.size() != n || edges.size() != e) {
      throw new IllegalStateException("dataset resource " + label + " has " + nodes.size() + " node and "
          + edges.size() + " edge lines but its header says " + n + " and " + e);
    }
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      DataResources.Row row = nodes.get(i);
      if (DataResources.integer(label, row.line(), 0, row.cells()[0], 0, n - 1) != i) {
        throw DataResources.malformed(label, row.line(), "should describe node " + i);
      }
      y[i] = DataResources.integer(label, row.line(), 1, row.cells()[1], 0, CLUBS.size() - 1);
    }
    int[] a = new int[e];
    int[] b = new int[e];
    double[] w = new double[e];
    for (int k = 0; k < e; k++) {
      DataResources.Row row = edges.get(k);
      a[k] = DataResources.integer(label, row.line(), 0, row.cells()[0], 0, n - 1);
      b[k] = DataResources.integer(label, row.line(), 1, row.cells()[1], 0, n - 1);
      w[k] = DataResources.number(label, row.line(), 2, row.cells()[2]);
      if (a[k] >= b[k]) {
        throw DataResources.malformed(label, row.line(), "lists edge " + a[k] + "," + b[k] + " (expected u < v)");
      }
    }
    Graph graph = Graph.undirected(n, a, b, weighted ? w : null);
    double[] identity = new double[n * n];
    for (int i = 0; i < n; i++) {
      identity[i * n + i] = 1;
    }
    LabeledData members = new LabeledData(Tensors.of(DType.F32, identity, n, n), Tensors.ofLongs(y, n), CLUBS.size());
    return new NodeData(graph, members);
  }
}
