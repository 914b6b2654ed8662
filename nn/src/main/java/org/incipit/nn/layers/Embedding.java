package org.incipit.nn.layers;

import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** Rows of a table [num, dim] looked up by integer indices of any shape. Default N(0, 1), as PyTorch. */
public final class Embedding extends Layer {
  private final Parameter weight;

  public Embedding(int num, int dim, Rng rng) {
    this(num, dim, Initializers.normal(0, 1), rng);
  }

  public Embedding(int num, int dim, Initializer init, Rng rng) {
    this.weight = param("weight", Shape.of(num, dim), init, rng);
  }

  @Override
  protected Tensor compute(Tensor index) {
    return Functional.embedding(index, weight.value()); // index.shape + (dim)
  }

  public Parameter weight() {
    return weight;
  }
}
