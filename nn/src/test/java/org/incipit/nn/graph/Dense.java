package org.incipit.nn.graph;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Rng;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Dense double-precision references for the graph tests, written from the formulas (no Graph
 * method is used): the adjacency, Â = D^(−½)(A + I)D^(−½), and row-major matrix products.
 */
final class Dense {
  private Dense() {}

  /** A random directed graph: edges, optional weights in [0.1, 2), self loops and duplicates allowed. */
  record RandomGraph(int n, int[] s, int[] t, double[] w) {
    static RandomGraph draw(int n, int e, boolean weighted, Rng rng) {
      long[] ends = rng.fork("ends").integers(2 * e, n);
      int[] s = new int[e];
      int[] t = new int[e];
      for (int j = 0; j < e; j++) {
        s[j] = (int) ends[j];
        t[j] = (int) ends[e + j];
      }
      double[] w = weighted ? rng.fork("w").uniform(e, 0.1, 2.0) : null;
      return new RandomGraph(n, s, t, w);
    }

    @Override
    public String toString() {
      return "graph N=" + n + " sources " + java.util.Arrays.toString(s) + " targets " + java.util.Arrays.toString(t)
          + (w == null ? " unweighted" : " weights " + java.util.Arrays.toString(w));
    }

    /**
     * Random graphs of 1–7 nodes and 0–14 edges, weighted or not; one draw in five takes each count
     * from its ends (1 or 7 nodes, 0 or 14 edges).
     */
    static Gen<RandomGraph> graphs() {
      Gen<Integer> nodes = integers().between(1, 7).mix(Generate.pick(List.of(1, 7)), 20);
      Gen<Integer> edges = integers().between(0, 14).mix(Generate.pick(List.of(0, 14)), 20);
      return nodes.zip(edges, booleans().all(), longs().all(),
          (n, e, weighted, seed) -> draw(n, e, weighted, Rng.seeded(seed).fork("graph")));
    }

    boolean weighted() {
      return w != null;
    }

    double weight(int j) {
      return w == null ? 1.0 : w[j];
    }

    Graph graph(org.incipit.tensor.DType dtype) {
      Graph g = Graph.fromEdges(n, s, t);
      return w == null ? g : g.withEdgeWeights(org.incipit.autograd.Tensors.of(dtype, w, w.length));
    }
  }

  /** A[i][j] = Σ of the weights of the edges j → i, self loops included (as given). */
  static double[][] adjacency(RandomGraph g, boolean weighted) {
    double[][] a = new double[g.n()][g.n()];
    for (int j = 0; j < g.s().length; j++) {
      a[g.t()[j]][g.s()[j]] += weighted ? g.weight(j) : 1.0;
    }
    return a;
  }

  /**
   * D^(−½)(A + I)D^(−½) where "+ I" follows PyG's add_remaining_self_loops: the diagonal is the
   * weight of a node's last self loop if it has one, else 1; D = row sums; D^(−½) = 0 where D = 0.
   */
  static double[][] gcnNormalized(RandomGraph g) {
    int n = g.n();
    double[][] a = new double[n][n];
    double[] diag = new double[n];
    java.util.Arrays.fill(diag, 1.0);
    for (int j = 0; j < g.s().length; j++) {
      if (g.s()[j] == g.t()[j]) {
        diag[g.s()[j]] = g.weight(j);
      } else {
        a[g.t()[j]][g.s()[j]] += g.weight(j);
      }
    }
    double[] inv = new double[n];
    for (int i = 0; i < n; i++) {
      a[i][i] = diag[i];
      double d = 0;
      for (int j = 0; j < n; j++) {
        d += a[i][j];
      }
      inv[i] = d > 0 ? 1 / Math.sqrt(d) : 0;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] *= inv[i] * inv[j];
      }
    }
    return a;
  }

  /** The dense matrix of a graph's edges: M[target][source] += weight (1 without weights). */
  static double[][] matrixOf(Graph g) {
    double[][] m = new double[g.numNodes()][g.numNodes()];
    double[] w = g.edgeWeight() == null ? null : g.edgeWeight().toDoubles();
    for (int e = 0; e < g.numEdges(); e++) {
      m[g.target(e)][g.source(e)] += w == null ? 1.0 : w[e];
    }
    return m;
  }

  /** The rows of a 2-D tensor. */
  static double[][] rows(Tensor t) {
    int r = t.size(0);
    int c = t.size(1);
    double[] v = t.toDoubles();
    double[][] m = new double[r][c];
    for (int i = 0; i < r; i++) {
      System.arraycopy(v, i * c, m[i], 0, c);
    }
    return m;
  }

  /** a (r, k) · b (k, c). */
  static double[][] mul(double[][] a, double[][] b) {
    int k = b.length;
    int c = k == 0 ? 0 : b[0].length;
    double[][] out = new double[a.length][c];
    for (int i = 0; i < a.length; i++) {
      for (int p = 0; p < k; p++) {
        for (int j = 0; j < c; j++) {
          out[i][j] += a[i][p] * b[p][j];
        }
      }
    }
    return out;
  }

  /** x (r, in) · wᵀ for a Linear weight w (out, in), plus the bias (out) when not null. */
  static double[][] linear(double[][] x, Tensor weight, Tensor bias) {
    double[][] w = rows(weight);
    double[][] wt = new double[w[0].length][w.length];
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < w[0].length; j++) {
        wt[j][i] = w[i][j];
      }
    }
    double[][] y = mul(x, wt);
    if (bias != null) {
      double[] b = bias.toDoubles();
      for (double[] row : y) {
        for (int j = 0; j < row.length; j++) {
          row[j] += b[j];
        }
      }
    }
    return y;
  }

  static double[][] add(double[][] a, double[][] b) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] += b[i][j];
      }
    }
    return out;
  }

  static double[][] relu(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = Math.max(0, out[i][j]);
      }
    }
    return out;
  }

  /** Asserts |got − want| ≤ tol elementwise, naming the position. */
  static void assertClose(double[][] want, Tensor got, double tol, String what) {
    double[][] g = rows(got);
    if (g.length != want.length) {
      throw new AssertionError(what + ": " + g.length + " rows, expected " + want.length);
    }
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want[i].length; j++) {
        if (!(Math.abs(g[i][j] - want[i][j]) <= tol)) {
          throw new AssertionError(what + ": [" + i + "][" + j + "] is " + g[i][j] + ", expected " + want[i][j]);
        }
      }
    }
  }
}
