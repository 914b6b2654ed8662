package org.incipit.models.nets;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Losses;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.nn.ModuleList;
import org.incipit.nn.graph.GCNConv;
import org.incipit.nn.graph.GINConv;
import org.incipit.nn.graph.Graph;
import org.incipit.nn.graph.GraphLayer;
import org.incipit.nn.graph.SAGEConv;
import org.incipit.nn.layers.Dropout;
import org.incipit.tensor.Rng;

/**
 * A node classifier of L graph layers with ReLU and dropout between them (PyG's {@code BasicGNN}
 * models GCN, GraphSAGE and GIN, whose layers are also named {@code convs.0, convs.1, …}):
 * <pre>
 * x (N, in) → conv₀ → ReLU → dropout → conv₁ → … → conv_{L−1} → logits (N, classes)
 * widths: in → hidden → … → hidden → classes   (in → classes when L = 1)
 * </pre>
 * Each layer keeps its PyG default initialization (GCN glorot, SAGE and GIN PyTorch's Linear
 * default); a GIN layer's MLP is [w_in, w_out, w_out] as in BasicGNN's GIN. For GCN the graph is
 * normalised once per forward ({@link Graph#gcnNormalized}) and shared by every layer.
 *
 * <pre>{@code
 * Gnn net = new Gnn(new Gnn.Config(Gnn.Conv.GCN, 34, 16, 2, 2, 0.5), rng.fork("gnn"));
 * Tensor logits = net.forward(x, graph);   // (34, 34) → (34, 2)
 * }</pre>
 */
public final class Gnn extends GraphLayer implements org.incipit.nn.Nonlinear {
  /** The layer type. */
  public enum Conv { GCN, SAGE, GIN }

  /**
   * Model size.
   *
   * @param conv the layer type
   * @param in input features per node
   * @param hidden width of the hidden layers
   * @param classes output logits per node
   * @param layers L ≥ 1 graph layers
   * @param dropout dropout probability between layers, in [0, 1)
   */
  public record Config(Conv conv, int in, int hidden, int classes, int layers, double dropout) {
    public Config {
      if (in < 1 || hidden < 1 || classes < 1 || layers < 1) {
        throw new IllegalArgumentException("Gnn: widths and depth must be positive, got in " + in + ", hidden "
            + hidden + ", classes " + classes + ", layers " + layers);
      }
      if (!(dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("Gnn: dropout must be in [0, 1), got " + dropout);
      }
    }
  }

  private final Config config;
  private final ModuleList<GraphLayer> convs;
  private final Dropout dropout;

  public Gnn(Config c, Rng rng) {
    this.config = c;
    List<GraphLayer> list = new ArrayList<>();
    Rng r = rng.fork("convs");
    for (int i = 0; i < c.layers(); i++) {
      int a = i == 0 ? c.in() : c.hidden();
      int b = i == c.layers() - 1 ? c.classes() : c.hidden();
      Rng li = r.fork(String.valueOf(i));
      list.add(switch (c.conv()) {
        case GCN -> new GCNConv(a, b, li);
        case SAGE -> new SAGEConv(a, b, li);
        case GIN -> new GINConv(new int[] {a, b, b}, li);
      });
    }
    this.convs = child("convs", new ModuleList<>(list));
    this.dropout = child("dropout", new Dropout(c.dropout(), rng.fork("dropout")));
  }

  @Override
  protected Tensor compute(Tensor x, Graph g) {
    Graph graph = config.conv() == Conv.GCN ? g.gcnNormalized(x.dtype()) : g;
    Tensor h = x; // (N, in)
    for (int i = 0; i < convs.size(); i++) {
      h = convs.get(i).forward(h, graph); // (N, hidden) or (N, classes) for the last
      if (i + 1 < convs.size()) {
        h = dropout.forward(h.relu());
      }
    }
    return h; // (N, classes)
  }

  /** Mean cross-entropy over the nodes {@code nodes} (I64 (M)) of the logits of a forward on the whole graph. */
  public Tensor loss(Tensor x, Graph g, Tensor labels, Tensor nodes) {
    Tensor idx = nodes.to(x.device());
    return Losses.crossEntropy(forward(x, g).indexSelect(0, idx), labels.to(x.device()).indexSelect(0, idx));
  }

  /**
   * The share of {@code nodes} (I64 (M)) whose arg-max logit is their label: one forward without a
   * tape and in evaluation mode (no dropout; the training mode is restored afterwards).
   */
  public double accuracy(Tensor x, Graph g, Tensor labels, Tensor nodes) {
    boolean training = isTraining();
    eval();
    long[] pred;
    try {
      pred = NoGrad.run(() -> forward(x, g).argmax(1)).toLongs(); // (N)
    } finally {
      if (training) {
        train();
      }
    }
    long[] y = labels.toLongs();
    long[] at = nodes.toLongs();
    int right = 0;
    for (long i : at) {
      right += pred[(int) i] == y[(int) i] ? 1 : 0;
    }
    return at.length == 0 ? Double.NaN : (double) right / at.length;
  }

  /** The graph layers in order. */
  public List<GraphLayer> convs() {
    return convs.items();
  }

  public Config config() {
    return config;
  }

  /** ReLU between the layers. */
  @Override
  public String nonlinearity() {
    return "relu";
  }
}
