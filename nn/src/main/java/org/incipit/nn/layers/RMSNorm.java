package org.incipit.nn.layers;

import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** RMS normalisation over the last axis (Zhang &amp; Sennrich 2019), γ = 1 at init. */
public final class RMSNorm extends Layer {
  private final Parameter gamma;
  private final double eps;

  public RMSNorm(int dim, double eps, Rng rng) {
    this.eps = eps;
    this.gamma = param("weight", Shape.of(dim), Initializers.ones(), rng);
  }

  @Override
  protected Tensor compute(Tensor x) {
    return Functional.rmsNorm(x, gamma.value(), eps);
  }
}
