package org.incipit.autograd;

/** Whether backward records the graph of its own computation (for higher-order gradients). */
public enum GradMode {
  /** Gradients are plain values (the default). */
  FIRST_ORDER,
  /** Gradients carry a tape themselves, so they can be differentiated again. */
  CREATE_GRAPH
}
