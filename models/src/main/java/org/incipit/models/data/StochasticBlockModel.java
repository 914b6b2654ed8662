package org.incipit.models.data;

import java.util.Arrays;
import org.incipit.autograd.Tensors;
import org.incipit.nn.graph.Graph;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * A seeded stochastic block model (Holland, Laskey &amp; Leinhardt, 1983, "Stochastic blockmodels:
 * First steps", <i>Social Networks</i> 5(2), 109–137) as a node-classification task, the synthetic
 * benchmark of the Virgo study: k blocks of n nodes each, node i in block ⌊i/n⌋; each unordered pair
 * {i, j}, i ≠ j, is an undirected edge independently with probability p_in (same block) or p_out
 * (different blocks); features are noisy one-hot block indicators and labels the blocks:
 * <pre>
 * P({i, j} ∈ E) = p_in if b(i) = b(j) else p_out
 * x_i = e_{b(i)} + σ·z_i,   z_i ~ N(0, I_k)        (features (N, k), N = k·n)
 * y_i = b(i)
 * </pre>
 * Expected edge counts: k·C(n, 2)·p_in within blocks and C(k, 2)·n²·p_out between them.
 *
 * <p>All randomness comes from {@code rng}: the edges from {@code rng.fork("edges")} (one uniform
 * per pair, pairs in the order (0,1), (0,2), …, (1,2), …), the noise from {@code rng.fork("noise")}
 * and the split from {@code rng.fork("split")} ({@link NodeSplit#random}); the same seed gives the
 * same sample on every machine.
 *
 * <pre>{@code
 * var c = new StochasticBlockModel.Config(7, 100, 0.05, 0.005, 1.0, 0.6, 0.2);
 * StochasticBlockModel.Sample s = StochasticBlockModel.generate(c, Rng.seeded(1));
 * s.data().graph();   // 700 nodes; s.split().train(): 420 node ids
 * }</pre>
 */
public final class StochasticBlockModel {
  private StochasticBlockModel() {}

  /**
   * The model and the split.
   *
   * @param blocks k ≥ 1 blocks (= classes = feature dimension)
   * @param perBlock n ≥ 1 nodes per block
   * @param pIn edge probability within a block, in [0, 1]
   * @param pOut edge probability between blocks, in [0, 1]
   * @param noiseStd σ ≥ 0 of the Gaussian noise added to the one-hot features
   * @param trainFraction share of the nodes in the train set, in (0, 1] (sizes are rounded)
   * @param validationFraction share in the validation set (the rest is test)
   */
  public record Config(int blocks, int perBlock, double pIn, double pOut, double noiseStd, double trainFraction,
                       double validationFraction) {
    public Config {
      if (blocks < 1 || perBlock < 1) {
        throw new IllegalArgumentException("SBM: needs at least one block of one node, got " + blocks + " blocks of "
            + perBlock);
      }
      if (!(pIn >= 0 && pIn <= 1) || !(pOut >= 0 && pOut <= 1)) {
        throw new IllegalArgumentException("SBM: probabilities must be in [0, 1], got p_in " + pIn + ", p_out " + pOut);
      }
      if (!(noiseStd >= 0) || Double.isInfinite(noiseStd)) {
        throw new IllegalArgumentException("SBM: the noise std must be finite and ≥ 0, got " + noiseStd);
      }
      NodeSplit.requireFractions(trainFraction, validationFraction);
    }

    /** N = k·n. */
    public int nodes() {
      return blocks * perBlock;
    }
  }

  /** A generated graph with its node features and labels, and a node split. */
  public record Sample(NodeData data, NodeSplit split) {}

  /** Draws one sample of {@code c} from {@code rng}. */
  public static Sample generate(Config c, Rng rng) {
    int n = c.nodes();
    int k = c.blocks();
    long pairs = (long) n * (n - 1) / 2;
    if (pairs > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("SBM: " + n + " nodes have " + pairs + " pairs, too many to draw");
    }
    double[] u = rng.fork("edges").uniform((int) pairs);
    int[] a = new int[16];
    int[] b = new int[16];
    int e = 0;
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++, p++) {
        double prob = i / c.perBlock() == j / c.perBlock() ? c.pIn() : c.pOut();
        if (u[p] < prob) {
          if (e == a.length) {
            a = Arrays.copyOf(a, 2 * e);
            b = Arrays.copyOf(b, 2 * e);
          }
          a[e] = i;
          b[e++] = j;
        }
      }
    }
    Graph graph = Graph.undirected(n, Arrays.copyOf(a, e), Arrays.copyOf(b, e), null);
    double[] x = rng.fork("noise").normal(n * k); // (N, k)
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      y[i] = i / c.perBlock();
      for (int j = 0; j < k; j++) {
        x[i * k + j] = (j == y[i] ? 1.0 : 0.0) + c.noiseStd() * x[i * k + j];
      }
    }
    LabeledData nodes = new LabeledData(Tensors.of(DType.F32, x, n, k), Tensors.ofLongs(y, n), k);
    NodeSplit split = NodeSplit.random(n, c.trainFraction(), c.validationFraction(), rng.fork("split"));
    return new Sample(new NodeData(graph, nodes), split);
  }
}
