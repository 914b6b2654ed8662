package org.incipit.nn.graph;

import java.util.Arrays;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Device;

/** Validation and host-side helpers of {@link Graph}'s edge lists. */
final class Edges {
  private Edges() {}

  static void requireNodeCount(int numNodes) {
    if (numNodes < 0) {
      throw new IllegalArgumentException("graph: the number of nodes must be non-negative, got " + numNodes);
    }
  }

  /** {@code id} as a node of a graph of {@code numNodes}; the error names the edge (or pair), the end, the id and N. */
  static int node(long id, int numNodes, String end, int edge) {
    if (id < 0 || id >= numNodes) {
      throw new IndexOutOfBoundsException("graph: " + (end.endsWith("end") ? "pair " : "edge ") + edge + " has "
          + end + " node " + id + ", outside [0, " + numNodes + ") for a graph of N = " + numNodes + " nodes");
    }
    return (int) id;
  }

  /** Validates edge weights; returns whether any is negative. */
  static boolean checkWeights(Tensor w, int e, Device device) {
    if (w == null) {
      return false;
    }
    if (!w.dtype().isFloating()) {
      throw new IllegalArgumentException("graph: edge weights must be floating (F32 or F64), got " + w.dtype());
    }
    if (w.rank() != 1 || w.size(0) != e) {
      throw new IllegalArgumentException("graph: edge weights must have shape (E) = (" + e + "), got " + w.shape());
    }
    if (w.backend() != device.backend()) {
      throw new IllegalArgumentException("graph: edge weights live on " + w.device() + " but the edge index on "
          + device + " (move one with .to(device))");
    }
    boolean negative = false;
    double[] v = w.toDoubles();
    for (int j = 0; j < v.length; j++) {
      if (!Double.isFinite(v[j])) {
        throw new IllegalArgumentException("graph: the weight of edge " + j + " is " + v[j] + ", not finite");
      }
      negative |= v[j] < 0;
    }
    return negative;
  }

  /** Node ids as an (E) I64 tensor on {@code device}. */
  static Tensor upload(int[] ids, Device device) {
    return Tensors.ofInts(ids, ids.length).to(device);
  }

  /** True when the multiset of edges (u, v, w) equals that of the reversed edges (v, u, w). */
  static boolean isUndirected(int[] source, int[] target, double[] w) {
    int e = source.length;
    Integer[] forward = new Integer[e];
    Integer[] backward = new Integer[e];
    for (int j = 0; j < e; j++) {
      forward[j] = j;
      backward[j] = j;
    }
    Arrays.sort(forward, (x, y) -> compare(source[x], target[x], w[x], source[y], target[y], w[y]));
    Arrays.sort(backward, (x, y) -> compare(target[x], source[x], w[x], target[y], source[y], w[y]));
    for (int j = 0; j < e; j++) {
      int f = forward[j];
      int b = backward[j];
      if (source[f] != target[b] || target[f] != source[b] || Double.compare(w[f], w[b]) != 0) {
        return false;
      }
    }
    return true;
  }

  private static int compare(int u1, int v1, double w1, int u2, int v2, double w2) {
    int c = Integer.compare(u1, u2);
    c = c != 0 ? c : Integer.compare(v1, v2);
    return c != 0 ? c : Double.compare(w1, w2);
  }
}
