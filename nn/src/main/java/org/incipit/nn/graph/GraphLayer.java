package org.incipit.nn.graph;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Module;

/**
 * A module of node features and a graph: {@code forward(x, g)} maps (N, F_in) features on the
 * nodes of g to (N, F_out). The graph is an argument of every call, not part of the layer, so one
 * layer runs on any graph (PyG's {@code conv(x, edge_index)}). Like {@link org.incipit.nn.Layer},
 * {@link #forward} runs the registered hooks after {@link #compute}, so per-layer statistics (a
 * signal-propagation report, a data-driven initializer) can be collected without changing a model.
 */
public abstract class GraphLayer extends Module {
  /** Called with the layer, its input, the graph and its output after every forward. */
  @FunctionalInterface
  public interface Hook {
    void accept(GraphLayer layer, Tensor input, Graph graph, Tensor output);
  }

  private final List<Hook> hooks = new ArrayList<>();

  /** The layer's computation on node features {@code x} (N, …) of graph {@code g}. */
  protected abstract Tensor compute(Tensor x, Graph g);

  /** Runs the layer and then its hooks. */
  public final Tensor forward(Tensor x, Graph g) {
    Tensor y = compute(x, g);
    for (Hook h : List.copyOf(hooks)) {
      h.accept(this, x, g, y);
    }
    return y;
  }

  /** Adds a hook; closing the returned handle removes it. */
  public final org.incipit.nn.HookHandle addHook(Hook hook) {
    hooks.add(hook);
    return () -> hooks.remove(hook);
  }

  /** Throws unless {@code x} is (N, width) for the N nodes of {@code g}. */
  protected static void requireFeatures(String layer, Tensor x, Graph g, int width) {
    if (x.rank() != 2 || x.size(0) != g.numNodes() || x.size(1) != width) {
      throw new IllegalArgumentException(layer + ": node features must be (N, " + width + ") with N = "
          + g.numNodes() + " nodes of the graph, got " + x.shape());
    }
  }
}
