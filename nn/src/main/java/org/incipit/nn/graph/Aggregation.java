package org.incipit.nn.graph;

/**
 * How {@link Graph#aggregate} combines the messages arriving at a node (PyG's {@code aggr}).
 * <pre>
 * SUM:   out_i = Σ_{e: target(e) = i} m_e
 * MEAN:  out_i = (1 / |{e: target(e) = i}|) · Σ_{e: target(e) = i} m_e,   0 for a node without incoming edges
 * </pre>
 * MEAN divides by the number of incoming edges, not by their total weight (as PyG's scatter mean).
 */
public enum Aggregation {
  SUM,
  MEAN
}
