package org.incipit.nn.graph;

import java.util.Arrays;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;

/**
 * The self loops and the GCN normalisation of a {@link Graph} (its public methods
 * {@link Graph#withSelfLoops} and {@link Graph#gcnNormalized} document the semantics): structure
 * on the host, weights as Tensor ops so that gradients reach the edge weights.
 */
final class Normalization {
  private Normalization() {}

  /** PyG's add_remaining_self_loops (see {@link Graph#withSelfLoops}). */
  static Graph withSelfLoops(Graph g, double fill) {
    if (!Double.isFinite(fill)) {
      throw new IllegalArgumentException("graph: the self-loop weight must be finite, got " + fill);
    }
    int n = g.numNodes();
    int e = g.numEdges();
    int[] source = g.sourceIds();
    int[] target = g.targetIds();
    int[] lastLoop = new int[n];
    Arrays.fill(lastLoop, -1);
    int kept = 0;
    for (int j = 0; j < e; j++) {
      if (source[j] == target[j]) {
        lastLoop[source[j]] = j;
      } else {
        kept++;
      }
    }
    int[] keep = new int[kept];
    int[] s = new int[kept + n];
    int[] t = new int[kept + n];
    for (int j = 0, k = 0; j < e; j++) {
      if (source[j] != target[j]) {
        keep[k] = j;
        s[k] = source[j];
        t[k++] = target[j];
      }
    }
    for (int i = 0; i < n; i++) {
      s[kept + i] = i;
      t[kept + i] = i;
    }
    Tensor w = null;
    if (g.edgeWeight() != null || fill != 1.0) {
      DType dtype = g.edgeWeight() != null ? g.edgeWeight().dtype() : DType.F32;
      Tensor all = g.edgeWeightOrOnes(dtype); // (E)
      Tensor loops = Tensors.full(Shape.of(n), fill, dtype, g.device()); // (N)
      if (Arrays.stream(lastLoop).anyMatch(j -> j >= 0)) {
        boolean[] has = new boolean[n];
        int[] from = new int[n];
        for (int i = 0; i < n; i++) {
          has[i] = lastLoop[i] >= 0;
          from[i] = Math.max(lastLoop[i], 0);
        }
        Tensor mask = Tensors.ofBooleans(has, n).to(g.device());
        loops = Tensors.where(mask, all.indexSelect(0, Edges.upload(from, g.device())), loops); // (N)
      }
      w = kept == 0 ? loops : Tensors.cat(0, all.indexSelect(0, Edges.upload(keep, g.device())), loops); // (E')
    }
    return new Graph(n, s, t, w, g.mayHaveNegativeWeights() || fill < 0, false, g.device());
  }

  /** PyG's gcn_norm (see {@link Graph#gcnNormalized(DType)}). */
  static Graph gcnNormalized(Graph g, DType dtype) {
    Graph loops = withSelfLoops(g, 1.0);
    if (loops.mayHaveNegativeWeights()) {
      requireNonNegativeDegrees(loops);
    }
    Tensor w = loops.edgeWeightOrOnes(dtype); // (E')
    Tensor deg = loops.degree(dtype); // (N)
    Tensor positive = deg.gt(0.0);
    Tensor safe = Tensors.where(positive, deg, deg.constant(1.0));
    Tensor inv = Tensors.where(positive, safe.pow(-0.5), deg.constant(0.0)); // (N) d̃^(−½)
    // d_s·d_t first: the product commutes exactly, so an undirected graph stays exactly symmetric
    Tensor norm = w.mul(inv.indexSelect(0, loops.sources()).mul(inv.indexSelect(0, loops.targets()))); // (E')
    return new Graph(loops, norm, loops.mayHaveNegativeWeights(), true);
  }

  private static void requireNonNegativeDegrees(Graph g) {
    double[] w = g.edgeWeight().toDoubles();
    int[] target = g.targetIds();
    double[] deg = new double[g.numNodes()];
    for (int j = 0; j < w.length; j++) {
      deg[target[j]] += w[j];
    }
    for (int i = 0; i < deg.length; i++) {
      if (deg[i] < 0) {
        throw new IllegalArgumentException("gcn normalisation: node " + i + " has weighted in-degree " + deg[i]
            + " (self loop included); D̃^(−½) needs degrees ≥ 0");
      }
    }
  }
}
