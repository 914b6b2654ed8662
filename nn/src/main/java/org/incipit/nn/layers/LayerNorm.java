package org.incipit.nn.layers;

import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** Layer normalisation over the last axis, γ = 1 and β = 0 at init (PyTorch's defaults), ε = 1e-5. */
public final class LayerNorm extends Layer {
  private final Parameter gamma;
  private final Parameter beta;
  private final int dim;
  private final double eps;

  public LayerNorm(int dim, Rng rng) {
    this(dim, 1e-5, rng);
  }

  public LayerNorm(int dim, double eps, Rng rng) {
    this.dim = dim;
    this.eps = eps;
    this.gamma = param("weight", Shape.of(dim), Initializers.ones(), rng);
    this.beta = param("bias", Shape.of(dim), Initializers.zeros(), rng);
  }

  @Override
  protected Tensor compute(Tensor x) {
    return Functional.layerNorm(x, new int[] {dim}, gamma.value(), beta.value(), eps);
  }
}
