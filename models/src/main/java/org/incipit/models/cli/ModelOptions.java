package org.incipit.models.cli;

import org.incipit.models.inspect.Zoo;
import org.incipit.tensor.Rng;
import picocli.CommandLine.Option;

/** The model choice shared by {@code incipit lint} and {@code incipit inspect}: a {@link Zoo} model, its init, width and depth. */
final class ModelOptions {
  @Option(names = "--model", required = true, description = "mlp, cnn, gpt, gnn, kat, s4d, spiking-mlp, spiking-cnn.")
  String model;

  @Option(names = "--init", defaultValue = "default",
      description = "default, he, xavier, lecun, orthogonal, tanh-gain (gpt also: gpt2, normal); default ${DEFAULT-VALUE}.")
  String init;

  @Option(names = "--width", defaultValue = "0", description = "Hidden width (0: the model's default).")
  int width;

  @Option(names = "--depth", defaultValue = "0", description = "Hidden layers or blocks (0: the model's default).")
  int depth;

  Zoo.Built build(long seed) {
    return Zoo.build(model, init, width, depth, Rng.seeded(seed));
  }
}
