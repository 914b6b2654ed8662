package org.incipit.nn.graph;

import org.incipit.autograd.Tensor;
import org.incipit.init.Fans;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * The graph convolution of Kipf &amp; Welling, 2017, "Semi-Supervised Classification with Graph
 * Convolutional Networks" (ICLR), arXiv:1609.02907:
 * <pre>
 * H' = Â H W + b,     Â = D̃^(−½)(A + I)D̃^(−½),   D̃_ii = Σ_j (A + I)_ij
 * h'_i = Σ_{j ∈ N(i) ∪ {i}} w_ji / √(d̃_j d̃_i) · W h_j + b
 * </pre>
 * with A[i][j] the weight of edge j → i (1 without weights) and d̃ the weighted in-degree including
 * the self loop ({@link Graph#gcnNormalized}).
 *
 * <p>PyG parity ({@code torch_geometric.nn.GCNConv} with its defaults: improved = False,
 * add_self_loops = True, normalize = True):
 * <ul>
 *   <li>children and paths as PyG's state dict: {@code bias} (out) and {@code lin.weight} [out, in],
 *       a {@link Linear} without bias; the bias is added <em>after</em> propagation, so it is not
 *       scaled by Â;</li>
 *   <li>initialization: {@code lin.weight} ~ glorot = U(±√(6/(in + out))) (PyG's
 *       {@code weight_initializer='glorot'}, Glorot &amp; Bengio 2010), {@code bias} = 0 (PyG's
 *       {@code zeros}); not PyTorch's Linear default;</li>
 *   <li>order as PyG: X W first, then Â·(X W), then + b (the same as (Â X) W in exact arithmetic);</li>
 *   <li>normalisation as {@code gcn_norm}: remaining self loops of weight 1, in-degrees; a graph that
 *       already is {@linkplain Graph#isGcnNormalized() normalised} is used as it is (PyG's
 *       {@code cached} without hidden state: normalise once, pass the result to every layer).</li>
 * </ul>
 *
 * <pre>{@code
 * GCNConv conv = new GCNConv(34, 16, rng.fork("conv1"));
 * Tensor h = conv.forward(x, graph);   // (N, 34) → (N, 16)
 * }</pre>
 */
public final class GCNConv extends GraphLayer {
  private final Linear lin;
  private final Parameter bias;
  private final int in;
  private final int out;

  /** PyG's defaults: glorot weight, zero bias. */
  public GCNConv(int in, int out, Rng rng) {
    this(in, out, true, Initializers.glorotUniform(), Initializers.zeros(), rng);
  }

  /** Explicit initializers; the bias initializer receives the weight's fans. */
  public GCNConv(int in, int out, boolean bias, Initializer weightInit, Initializer biasInit, Rng rng) {
    this.in = in;
    this.out = out;
    Shape w = Shape.of(out, in);
    this.bias = bias ? param("bias", Shape.of(out), biasInit, Fans.of(w), rng) : null;
    this.lin = child("lin", new Linear(in, out, false, weightInit, Initializers.zeros(), rng.fork("lin")));
  }

  @Override
  protected Tensor compute(Tensor x, Graph g) {
    requireFeatures("GCNConv", x, g, in);
    Graph a = g.gcnNormalized(x.dtype());
    Tensor h = lin.forward(x);                        // (N, out): X W
    Tensor y = a.propagate(h, Aggregation.SUM);       // (N, out): Â X W
    return bias != null ? y.add(bias.value()) : y;    // (N, out)
  }

  /** The weight W as a Linear without bias: {@code lin.weight} [out, in]. */
  public Linear lin() {
    return lin;
  }

  /** The bias (added after propagation), or null. */
  public Parameter bias() {
    return bias;
  }

  public int inFeatures() {
    return in;
  }

  public int outFeatures() {
    return out;
  }
}
