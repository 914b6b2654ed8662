package org.incipit.nn;

/**
 * A module that applies one named nonlinearity between its layers ("relu", "tanh", "gelu", …,
 * the names of {@code Gains.of}) — after every layer but its last, the output layer — so tools can
 * check its weights' gain against it and count the units it silences.
 */
public interface Nonlinear {
  String nonlinearity();
}
