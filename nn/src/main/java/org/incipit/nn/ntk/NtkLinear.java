package org.incipit.nn.ntk;

import org.incipit.autograd.Tensor;
import org.incipit.init.Fans;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A dense layer in the NTK parameterization (Jacot, Gabriel, Hongler 2018, "Neural Tangent
 * Kernel: Convergence and Generalization in Neural Networks", NeurIPS 2018, arXiv:1806.07572, §2):
 * <pre>
 * α̃^(ℓ+1) = (1/√n_ℓ)·W^(ℓ)·α^(ℓ) + β·b^(ℓ),      W, b i.i.d. N(0, 1)
 * </pre>
 * The scale lives in the forward pass, not in the initial values, so every parameter's gradient
 * is O(1/√n) and the tangent kernel has a limit as the width n_ℓ grows. β = 0.1 in the paper's
 * experiments (with learning rate 1.0; verified in {@code init-schemes-verified.md} §5).
 * Weights are stored [out, in] like {@link org.incipit.nn.layers.Linear}.
 *
 * <p>Held by {@code NtkPropertiesTest} (tests: N(0, 1) parameters by χ² and Kolmogorov–Smirnov,
 * and the forward equals W·x/√n + β·b).
 */
public final class NtkLinear extends Layer {
  /** The paper's bias scale. */
  public static final double BETA = 0.1;

  private final Parameter weight;
  private final Parameter bias;
  private final int in;
  private final double beta;

  public NtkLinear(int in, int out, double beta, Rng rng) {
    if (in < 1 || out < 1 || !(beta >= 0)) {
      throw new IllegalArgumentException("ntk linear: needs in ≥ 1, out ≥ 1 and β ≥ 0, got " + in + ", " + out + ", "
          + beta);
    }
    this.in = in;
    this.beta = beta;
    Shape w = Shape.of(out, in);
    this.weight = param("weight", w, Initializers.normal(0, 1), Fans.of(w), rng);
    this.bias = param("bias", Shape.of(out), Initializers.normal(0, 1), Fans.of(w), rng);
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor y = x.matmul(weight.value().transpose(0, 1)).mul(1 / Math.sqrt(in)); // (…, out)
    return y.add(bias.value().mul(beta));                                       // (…, out)
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  public double beta() {
    return beta;
  }
}
