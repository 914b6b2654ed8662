package org.incipit.nn.graph;

import org.incipit.autograd.Tensor;
import org.incipit.init.Initializers;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;

/**
 * GraphSAGE with the mean aggregator: Hamilton, Ying &amp; Leskovec, 2017, "Inductive
 * Representation Learning on Large Graphs" (NeurIPS), arXiv:1706.02216, in PyG's formulation:
 * <pre>
 * h'_i = lin_l(mean_{j ∈ N(i)} h_j) + lin_r(h_i) = W_l · mean_{j ∈ N(i)} h_j + b + W_r · h_i
 * </pre>
 * N(i) are the sources of the edges arriving at i (a node without any aggregates 0). The paper
 * concatenates [h_i ‖ mean h_j] before one weight matrix; that is the same map with W = [W_r W_l].
 *
 * <p>PyG parity ({@code torch_geometric.nn.SAGEConv} with its defaults: aggr = 'mean',
 * root_weight = True, normalize = False, project = False):
 * <ul>
 *   <li>children as PyG: {@code lin_l} (the neighbours, with the bias) and {@code lin_r} (the node
 *       itself, without bias), paths {@code lin_l.weight}, {@code lin_l.bias}, {@code lin_r.weight};</li>
 *   <li>initialization: PyG's Linear default, which is PyTorch's: weights U(±1/√in)
 *       (kaiming_uniform with a = √5), bias U(±1/√in);</li>
 *   <li>edge weights are ignored (PyG's SAGEConv takes none), and no self loops are added.</li>
 * </ul>
 */
public final class SAGEConv extends GraphLayer {
  private final Linear linL;
  private final Linear linR;
  private final int in;
  private final int out;

  /** PyG's (= PyTorch's) default initialization. */
  public SAGEConv(int in, int out, Rng rng) {
    this.in = in;
    this.out = out;
    this.linL = child("lin_l", new Linear(in, out, rng.fork("lin_l")));
    this.linR = child("lin_r", new Linear(in, out, false, Initializers.pytorchDefaultWeight(),
        Initializers.pytorchDefaultBias(), rng.fork("lin_r")));
  }

  @Override
  protected Tensor compute(Tensor x, Graph g) {
    requireFeatures("SAGEConv", x, g, in);
    Tensor mean = g.withoutEdgeWeights().propagate(x, Aggregation.MEAN); // (N, in)
    return linL.forward(mean).add(linR.forward(x));                      // (N, out)
  }

  /** The neighbour transform (with the bias): {@code lin_l}. */
  public Linear linL() {
    return linL;
  }

  /** The root transform (without bias): {@code lin_r}. */
  public Linear linR() {
    return linR;
  }

  public int inFeatures() {
    return in;
  }

  public int outFeatures() {
    return out;
  }
}
