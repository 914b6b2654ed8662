package org.incipit.nn.graph;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializers;
import org.incipit.nn.ModuleList;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * The graph isomorphism network layer of Xu, Hu, Leskovec &amp; Jegelka, 2019, "How Powerful are
 * Graph Neural Networks?" (ICLR), arXiv:1810.00826:
 * <pre>
 * h'_i = MLP((1 + ε)·h_i + Σ_{j ∈ N(i)} h_j)        H' = MLP((A + (1 + ε)I) H)
 * </pre>
 * with N(i) the sources of the edges arriving at i and the MLP Linear → ReLU → … → Linear (no
 * activation after the last Linear).
 *
 * <p>PyG parity ({@code torch_geometric.nn.GINConv(nn, eps=0., train_eps=False)}):
 * <ul>
 *   <li>ε defaults to 0 and is fixed (PyG keeps it in a buffer); {@link #trainableEps} makes it a
 *       parameter {@code eps} of shape (1), as PyG's {@code train_eps=True};</li>
 *   <li>the MLP is built here from its widths, Linears at {@code mlp.0}, {@code mlp.1}, … (PyG's MLP
 *       names them {@code nn.lins.0}, …): the first and last Linear are {@link #mlp()}'s ends.
 *       The paper's MLPs use batch normalisation, which this MLP leaves out;</li>
 *   <li>initialization: PyG's Linear default (= PyTorch's): weights and biases U(±1/√in);</li>
 *   <li>edge weights are ignored (PyG's GINConv takes none), and no self loops are added.</li>
 * </ul>
 */
public final class GINConv extends GraphLayer {
  private final ModuleList<Linear> mlp;
  private final Parameter epsParam;
  private final double eps;

  /** ε = 0, fixed; MLP widths [in, hidden…, out] (at least two). */
  public GINConv(int[] mlpWidths, Rng rng) {
    this(mlpWidths, 0.0, false, rng);
  }

  private GINConv(int[] widths, double eps, boolean train, Rng rng) {
    if (widths.length < 2) {
      throw new IllegalArgumentException("GINConv: the MLP needs at least an input and an output width, got "
          + widths.length + " width(s)");
    }
    if (!Double.isFinite(eps)) {
      throw new IllegalArgumentException("GINConv: ε must be finite, got " + eps);
    }
    List<Linear> layers = new ArrayList<>();
    Rng r = rng.fork("mlp");
    for (int i = 0; i + 1 < widths.length; i++) {
      layers.add(new Linear(widths[i], widths[i + 1], r.fork(String.valueOf(i))));
    }
    this.mlp = child("mlp", new ModuleList<>(layers));
    this.eps = eps;
    this.epsParam = train ? param("eps", Shape.of(1), Initializers.constant(eps), rng) : null;
  }

  /** A fixed ε (not a parameter). */
  public static GINConv fixedEps(int[] mlpWidths, double eps, Rng rng) {
    return new GINConv(mlpWidths, eps, false, rng);
  }

  /** A trainable ε, the parameter {@code eps} (1) starting at {@code initialEps}. */
  public static GINConv trainableEps(int[] mlpWidths, double initialEps, Rng rng) {
    return new GINConv(mlpWidths, initialEps, true, rng);
  }

  @Override
  protected Tensor compute(Tensor x, Graph g) {
    requireFeatures("GINConv", x, g, mlp.get(0).inFeatures());
    Tensor sum = g.withoutEdgeWeights().propagate(x, Aggregation.SUM); // (N, in): Σ_j h_j
    Tensor self = epsParam != null ? x.mul(epsParam.value().add(1.0)) : x.mul(1.0 + eps); // (N, in)
    Tensor h = self.add(sum); // (N, in)
    for (int i = 0; i < mlp.size(); i++) {
      h = mlp.get(i).forward(h); // (N, widths[i+1])
      if (i + 1 < mlp.size()) {
        h = h.relu();
      }
    }
    return h;
  }

  /** The MLP's Linears in order: {@code mlp().get(0)} is the first, the last one the output layer. */
  public List<Linear> mlp() {
    return mlp.items();
  }

  /** The trainable ε, or null when ε is fixed. */
  public Parameter epsParameter() {
    return epsParam;
  }

  /** The current value of ε (the parameter's when it is trainable). */
  public double eps() {
    return epsParam != null ? epsParam.value().toDoubles()[0] : eps;
  }

  public int inFeatures() {
    return mlp.get(0).inFeatures();
  }

  public int outFeatures() {
    return mlp.get(mlp.size() - 1).outFeatures();
  }
}
