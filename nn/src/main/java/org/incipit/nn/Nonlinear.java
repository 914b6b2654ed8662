package org.incipit.nn;

/**
 * A module that applies one named nonlinearity between its layers ("relu", "tanh", "gelu", …,
 * the names of {@code Gains.of}), so tools can check its weights' gain against it.
 */
public interface Nonlinear {
  String nonlinearity();
}
