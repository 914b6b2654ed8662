package org.incipit.nn.graph;

import java.util.Arrays;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Shape;

/**
 * A directed graph on N nodes for message passing, stored as PyG stores it: an edge index (2, E)
 * of I64 node ids, row 0 the sources and row 1 the targets, and optional edge weights (E). Edge e
 * carries a message from node {@code source(e)} to node {@code target(e)}; an undirected graph lists
 * each edge in both directions ({@link #undirected}). Duplicate edges are kept and add up.
 *
 * <p>In matrix terms the graph is the N×N matrix A with A[i][j] = Σ of the weights of the edges
 * j → i (1 per edge without weights), and {@link #propagate} with {@link Aggregation#SUM} is the
 * product A·X. {@link #gcnNormalized} turns it into Â = D̃^(−½)(A + I)D̃^(−½) (Kipf &amp; Welling),
 * so that Â·v, the product Virgo's constants s_k(v) = ‖Â^k v‖² are made of, is
 * <pre>{@code
 * Graph a = g.gcnNormalized(DType.F64);
 * Tensor av = a.propagate(v, Aggregation.SUM);   // (N) or (N, F): Â·v
 * }</pre>
 *
 * <p>An immutable value: every method returns a new graph or tensor. Node ids are validated once,
 * at construction (the errors name the edge, the id and N), and kept on the host for the structural
 * work (self loops, degrees, symmetry); the index and weight tensors live on one {@link Device}.
 * Message passing is {@code indexSelect} (gather the source rows) followed by {@code indexAdd}
 * (scatter-add at the targets), so it is differentiable with respect to the node features and the
 * edge weights, on every backend.
 */
public final class Graph {
  private final int numNodes;
  private final int[] source;
  private final int[] target;
  private final Tensor sources; // (E) I64
  private final Tensor targets; // (E) I64
  private final Tensor edgeWeight; // (E) floating, or null: every weight is 1
  private final boolean negativeWeights;
  private final boolean gcnNormalized;

  /** The graph of validated host ids; the index tensors are uploaded to {@code device}. */
  Graph(int numNodes, int[] source, int[] target, Tensor edgeWeight, boolean negativeWeights,
        boolean gcnNormalized, Device device) {
    this.numNodes = numNodes;
    this.source = source;
    this.target = target;
    this.sources = Edges.upload(source, device);
    this.targets = Edges.upload(target, device);
    this.edgeWeight = edgeWeight;
    this.negativeWeights = negativeWeights;
    this.gcnNormalized = gcnNormalized;
  }

  /** The edges of {@code structure} (host ids and index tensors shared) with other weights. */
  Graph(Graph structure, Tensor edgeWeight, boolean negativeWeights, boolean gcnNormalized) {
    this.numNodes = structure.numNodes;
    this.source = structure.source;
    this.target = structure.target;
    this.sources = structure.sources;
    this.targets = structure.targets;
    this.edgeWeight = edgeWeight;
    this.negativeWeights = negativeWeights;
    this.gcnNormalized = gcnNormalized;
  }

  // ---------------------------------------------------------------- construction

  /** The unweighted graph of an edge index (2, E) I64 on {@code numNodes} nodes. */
  public static Graph of(Tensor edgeIndex, int numNodes) {
    return of(edgeIndex, null, numNodes);
  }

  /**
   * The graph of an edge index (2, E) I64 with edge weights (E) (floating, finite, on the index's
   * device; null for an unweighted graph) on {@code numNodes} nodes.
   *
   * @throws IllegalArgumentException for a wrong dtype or shape, or a node id outside [0, N)
   */
  public static Graph of(Tensor edgeIndex, Tensor edgeWeight, int numNodes) {
    Edges.requireNodeCount(numNodes);
    if (edgeIndex.dtype() != DType.I64) {
      throw new IllegalArgumentException("graph: the edge index must be an I64 tensor, got " + edgeIndex.dtype());
    }
    if (edgeIndex.rank() != 2 || edgeIndex.size(0) != 2) {
      throw new IllegalArgumentException("graph: the edge index must have shape (2, E), sources in row 0 and"
          + " targets in row 1, got " + edgeIndex.shape());
    }
    int e = edgeIndex.size(1);
    long[] ids = edgeIndex.toLongs();
    int[] s = new int[e];
    int[] t = new int[e];
    for (int j = 0; j < e; j++) {
      s[j] = Edges.node(ids[j], numNodes, "source", j);
      t[j] = Edges.node(ids[e + j], numNodes, "target", j);
    }
    return new Graph(numNodes, s, t, edgeWeight, Edges.checkWeights(edgeWeight, e, edgeIndex.device()), false,
        edgeIndex.device());
  }

  /** The unweighted graph with edges {@code source[e] → target[e]}, on the CPU. */
  public static Graph fromEdges(int numNodes, int[] source, int[] target) {
    Edges.requireNodeCount(numNodes);
    if (source.length != target.length) {
      throw new IllegalArgumentException("graph: " + source.length + " sources but " + target.length + " targets");
    }
    int[] s = new int[source.length];
    int[] t = new int[target.length];
    for (int j = 0; j < s.length; j++) {
      s[j] = Edges.node(source[j], numNodes, "source", j);
      t[j] = Edges.node(target[j], numNodes, "target", j);
    }
    return new Graph(numNodes, s, t, null, false, false, Device.cpu());
  }

  /**
   * The undirected graph of the pairs {a[k], b[k]}, on the CPU: pair k becomes the edges a→b and
   * b→a (one self loop when a = b), both with weight {@code weights[k]} (F32; null: unweighted).
   */
  public static Graph undirected(int numNodes, int[] a, int[] b, double[] weights) {
    if (a.length != b.length || (weights != null && weights.length != a.length)) {
      throw new IllegalArgumentException("graph: " + a.length + " first ends, " + b.length + " second ends"
          + (weights != null ? " and " + weights.length + " weights" : "") + " (they must agree)");
    }
    Edges.requireNodeCount(numNodes);
    int e = 0;
    for (int k = 0; k < a.length; k++) {
      Edges.node(a[k], numNodes, "first end", k);
      Edges.node(b[k], numNodes, "second end", k);
      e += a[k] == b[k] ? 1 : 2;
    }
    int[] s = new int[e];
    int[] t = new int[e];
    double[] w = new double[e];
    int j = 0;
    for (int k = 0; k < a.length; k++) {
      double wk = weights != null ? weights[k] : 1;
      s[j] = a[k];
      t[j] = b[k];
      w[j++] = wk;
      if (a[k] != b[k]) {
        s[j] = b[k];
        t[j] = a[k];
        w[j++] = wk;
      }
    }
    Graph g = fromEdges(numNodes, s, t);
    return weights == null ? g : g.withEdgeWeights(Tensors.of(DType.F32, w, e));
  }

  // ---------------------------------------------------------------- structure

  public int numNodes() {
    return numNodes;
  }

  public int numEdges() {
    return source.length;
  }

  /** The edge index (2, E) I64: sources in row 0, targets in row 1. */
  public Tensor edgeIndex() {
    return Tensors.stack(0, sources, targets);
  }

  /** The source node of every edge (E) I64. */
  public Tensor sources() {
    return sources;
  }

  /** The target node of every edge (E) I64. */
  public Tensor targets() {
    return targets;
  }

  /** The source node of edge {@code e}. */
  public int source(int e) {
    return source[e];
  }

  /** The target node of edge {@code e}. */
  public int target(int e) {
    return target[e];
  }

  /** The edge weights (E), or null when every edge has weight 1. */
  public Tensor edgeWeight() {
    return edgeWeight;
  }

  /** The edge weights (E) as {@code dtype}: the given ones (cast) or all ones. */
  public Tensor edgeWeightOrOnes(DType dtype) {
    if (edgeWeight == null) {
      return Tensors.full(Shape.of(numEdges()), 1.0, dtype, device());
    }
    return edgeWeight.cast(dtype);
  }

  public Device device() {
    return sources.device();
  }

  /** True when this graph is the result of {@link #gcnNormalized}: its weights are Â's entries. */
  public boolean isGcnNormalized() {
    return gcnNormalized;
  }

  /** This graph with its index and weights on {@code device} (the weights move differentiably). */
  public Graph to(Device device) {
    if (device.backend() == sources.backend()) {
      return this;
    }
    Tensor w = edgeWeight == null ? null : edgeWeight.to(device);
    return new Graph(numNodes, source, target, w, negativeWeights, gcnNormalized, device);
  }

  /** The same edges with weights {@code w} (E), validated as in {@link #of(Tensor, Tensor, int)}. */
  public Graph withEdgeWeights(Tensor w) {
    return new Graph(this, w, Edges.checkWeights(w, numEdges(), device()), false);
  }

  /** The same edges, unweighted (what SAGEConv and GINConv aggregate over, as in PyG). */
  public Graph withoutEdgeWeights() {
    return edgeWeight == null && !gcnNormalized ? this : new Graph(this, null, false, false);
  }

  /** The number of edges arriving at each node (self loops and duplicates included). */
  public int[] inDegrees() {
    int[] count = new int[numNodes];
    for (int t : target) {
      count[t]++;
    }
    return count;
  }

  /** The weighted in-degree (N) in {@code dtype}: d_i = Σ_{e: target(e) = i} w_e, i.e. the row sums of A. */
  public Tensor degree(DType dtype) {
    return aggregate(edgeWeightOrOnes(dtype), Aggregation.SUM);
  }

  /**
   * True when the multiset of edges (u, v, w) equals that of the reversed edges (v, u, w): every
   * edge has its reverse with the same weight (PyG's {@code is_undirected}; weights compared exactly).
   */
  public boolean isUndirected() {
    return Edges.isUndirected(source, target, edgeWeight == null ? new double[numEdges()] : edgeWeight.toDoubles());
  }

  // ---------------------------------------------------------------- self loops and normalisation

  /**
   * PyG's {@code add_remaining_self_loops}: every node ends up with exactly one self loop. Edges
   * i → i already present are removed; then the loops 0 → 0, …, N−1 → N−1 are appended in node
   * order, node i's with the weight of its last existing self loop if it had one, else
   * {@code fill}. Other edges keep their order. On a graph without self loops this is A + fill·I.
   */
  public Graph withSelfLoops(double fill) {
    return Normalization.withSelfLoops(this, fill);
  }

  /** {@link #gcnNormalized(DType)} in F32, or in the dtype of the edge weights when there are some. */
  public Graph gcnNormalized() {
    return gcnNormalized(edgeWeight != null ? edgeWeight.dtype() : DType.F32);
  }

  /**
   * The symmetrically normalised adjacency with self loops of Kipf &amp; Welling (2017), computed as
   * PyG's {@code gcn_norm}: self loops of weight 1 as {@link #withSelfLoops}, then
   * <pre>
   * d̃_i = Σ_{e: target(e) = i} w_e          (weighted in-degree, the self loop included)
   * ŵ_e = w_e · d̃_{source(e)}^(−½) · d̃_{target(e)}^(−½)      (d̃^(−½) := 0 where d̃ = 0)
   * </pre>
   * so the returned graph's matrix is Â = D̃^(−½)(A + I)D̃^(−½), computed in {@code dtype} (weights
   * cast first) with Tensor ops, hence differentiable with respect to the edge weights. Normalising
   * a graph that already is the result of this method returns it unchanged, so a model can
   * normalise once and hand the result to every layer.
   *
   * @throws IllegalArgumentException when a node's weighted in-degree is negative (D̃^(−½) is undefined)
   */
  public Graph gcnNormalized(DType dtype) {
    return gcnNormalized ? this : Normalization.gcnNormalized(this, dtype);
  }

  // ---------------------------------------------------------------- package internals

  int[] sourceIds() {
    return source;
  }

  int[] targetIds() {
    return target;
  }

  boolean mayHaveNegativeWeights() {
    return negativeWeights;
  }

  // ---------------------------------------------------------------- message passing

  /**
   * One round of message passing: node i receives m_e = w_e · x_{source(e)} along every edge
   * e with target(e) = i (w_e = 1 without weights), combined by {@code aggregation}. With SUM this
   * is A·X. {@code x} is (N, …) on the graph's device; the result has its shape.
   */
  public Tensor propagate(Tensor x, Aggregation aggregation) {
    requireNodeFeatures(x);
    Tensor messages = x.indexSelect(0, sources); // (E, …)
    if (edgeWeight != null) {
      messages = messages.mul(column(edgeWeightOrOnes(x.dtype()), x.rank())); // (E, …)
    }
    return aggregate(messages, aggregation);
  }

  /**
   * Combines per-edge messages (E, …) at the edges' targets into (N, …): a scatter-add
   * ({@code indexAdd}) into zeros, divided by the number of incoming edges for MEAN (a node with
   * none gets 0).
   */
  public Tensor aggregate(Tensor messages, Aggregation aggregation) {
    if (!messages.dtype().isFloating() || messages.rank() < 1 || messages.size(0) != numEdges()) {
      throw new IllegalArgumentException("graph: messages must be a floating (E, …) tensor with E = " + numEdges()
          + ", got " + messages.dtype() + " " + messages.shape());
    }
    requireDevice(messages);
    Tensor out = Tensors.zeros(messages.shape().with(0, numNodes), messages.dtype(), messages.device());
    if (numEdges() > 0) {
      out = out.indexAdd(0, targets, messages); // (N, …)
    }
    if (aggregation == Aggregation.SUM) {
      return out;
    }
    int[] count = inDegrees();
    double[] inverse = new double[numNodes];
    for (int i = 0; i < numNodes; i++) {
      inverse[i] = count[i] > 0 ? 1.0 / count[i] : 0.0;
    }
    Tensor scale = Tensors.of(messages.dtype(), inverse, Shape.of(numNodes), messages.device());
    return out.mul(column(scale, messages.rank())); // (N, …)
  }

  /** A vector (K) reshaped to (K, 1, …, 1) of the given rank, to scale rows. */
  private static Tensor column(Tensor v, int rank) {
    int[] dims = new int[rank];
    Arrays.fill(dims, 1);
    dims[0] = v.size(0);
    return v.reshape(dims);
  }

  private void requireNodeFeatures(Tensor x) {
    if (!x.dtype().isFloating() || x.rank() < 1 || x.size(0) != numNodes) {
      throw new IllegalArgumentException("graph: node features must be a floating (N, …) tensor with N = "
          + numNodes + " rows, one per node, got " + x.dtype() + " " + x.shape());
    }
    requireDevice(x);
  }

  private void requireDevice(Tensor t) {
    if (t.backend() != sources.backend()) {
      throw new IllegalArgumentException("graph: the tensor lives on " + t.device() + " but the graph on "
          + device() + " (move one with .to(device))");
    }
  }

  @Override
  public String toString() {
    return "Graph(N=" + numNodes + ", E=" + numEdges() + (edgeWeight != null ? ", weighted " + edgeWeight.dtype() : "")
        + (gcnNormalized ? ", gcn-normalised" : "") + ", " + device() + ")";
  }
}
