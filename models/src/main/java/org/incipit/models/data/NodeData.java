package org.incipit.models.data;

import org.incipit.autograd.Tensor;
import org.incipit.nn.graph.Graph;

/**
 * A node-classification dataset: a graph whose node i is example i of {@code nodes} (features
 * row i, label i). An immutable value.
 *
 * @param graph the graph on N nodes
 * @param nodes the N examples: features (N, D) and labels (N)
 */
public record NodeData(Graph graph, LabeledData nodes) {

  /** Checks that there is one example per node. */
  public NodeData {
    if (graph.numNodes() != nodes.size()) {
      throw new IllegalArgumentException("NodeData: the graph has " + graph.numNodes() + " nodes but there are "
          + nodes.size() + " examples");
    }
  }

  /** (N, D) node features. */
  public Tensor features() {
    return nodes.features();
  }

  /** (N) I64 node labels. */
  public Tensor labels() {
    return nodes.labels();
  }

  public int classes() {
    return nodes.classes();
  }
}
