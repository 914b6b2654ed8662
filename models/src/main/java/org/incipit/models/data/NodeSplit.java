package org.incipit.models.data;

import java.util.Arrays;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;

/**
 * A transductive split of the nodes of one graph into train, validation and test sets (disjoint
 * node ids, each set sorted). The model sees the whole graph; the loss uses the train nodes only.
 * Accessors return copies, so the value is immutable.
 *
 * <pre>{@code
 * NodeSplit s = NodeSplit.random(100, 0.6, 0.2, rng.fork("split"));   // 60 / 20 / 20 nodes
 * Tensor logits = model.forward(x, graph);                              // (N, C)
 * Tensor loss = Losses.crossEntropy(logits.indexSelect(0, NodeSplit.index(s.train())),
 *                                   labels.indexSelect(0, NodeSplit.index(s.train())));
 * }</pre>
 */
public record NodeSplit(int[] train, int[] validation, int[] test) {

  /** Copies and sorts the three sets; they must not share a node and ids must be ≥ 0. */
  public NodeSplit {
    train = sorted(train);
    validation = sorted(validation);
    test = sorted(test);
    int max = -1;
    for (int[] set : new int[][] {train, validation, test}) {
      for (int v : set) {
        if (v < 0) {
          throw new IllegalArgumentException("NodeSplit: node id " + v + " is negative");
        }
        max = Math.max(max, v);
      }
    }
    boolean[] seen = new boolean[max + 1];
    for (int[] set : new int[][] {train, validation, test}) {
      for (int v : set) {
        if (seen[v]) {
          throw new IllegalArgumentException("NodeSplit: node " + v + " is in two sets (or twice in one)");
        }
        seen[v] = true;
      }
    }
  }

  /**
   * A seeded random split of nodes 0..n−1: with p = {@code rng.permutation(n)}, T = round(f_train·n)
   * and V = round(f_val·n), train is p[0..T), validation p[T..T+V) and test the rest.
   */
  public static NodeSplit random(int n, double trainFraction, double validationFraction, Rng rng) {
    requireFractions(trainFraction, validationFraction);
    int t = (int) Math.round(trainFraction * n);
    int v = Math.min(n - t, (int) Math.round(validationFraction * n));
    int[] p = rng.permutation(n);
    return new NodeSplit(Arrays.copyOfRange(p, 0, t), Arrays.copyOfRange(p, t, t + v), Arrays.copyOfRange(p, t + v, n));
  }

  /** Throws unless 0 &lt; train, 0 ≤ validation and train + validation ≤ 1 (up to rounding, 1e−9). */
  static void requireFractions(double trainFraction, double validationFraction) {
    if (!(trainFraction > 0) || !(validationFraction >= 0) || !(trainFraction + validationFraction <= 1 + 1e-9)) {
      throw new IllegalArgumentException("NodeSplit: fractions must satisfy 0 < train, 0 ≤ validation and"
          + " train + validation ≤ 1, got " + trainFraction + " and " + validationFraction);
    }
  }

  @Override
  public int[] train() {
    return train.clone();
  }

  @Override
  public int[] validation() {
    return validation.clone();
  }

  @Override
  public int[] test() {
    return test.clone();
  }

  /** Equal when the three sets hold the same nodes. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NodeSplit s && Arrays.equals(train, s.train) && Arrays.equals(validation, s.validation)
        && Arrays.equals(test, s.test);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {Arrays.hashCode(train), Arrays.hashCode(validation), Arrays.hashCode(test)});
  }

  @Override
  public String toString() {
    return "NodeSplit(train " + train.length + ", validation " + validation.length + ", test " + test.length + ")";
  }

  /** Node ids as an I64 index tensor (CPU), for {@code indexSelect(0, …)}. */
  public static Tensor index(int[] nodes) {
    return Tensors.ofInts(nodes, nodes.length);
  }

  private static int[] sorted(int[] set) {
    int[] c = set.clone();
    Arrays.sort(c);
    return c;
  }
}
