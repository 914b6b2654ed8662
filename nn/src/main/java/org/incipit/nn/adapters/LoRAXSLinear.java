package org.incipit.nn.adapters;

import org.incipit.autograd.Tensor;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * LoRA-XS (Bałazy, Banaei, Aberer, Tabor 2024, "LoRA-XS: Low-Rank Adaptation with Extremely Small
 * Number of Parameters", arXiv:2405.17604) around a frozen {@link Linear}: only the r×r matrix R
 * trains.
 * <pre>y = base(x) + s · x Aᵀ Rᵀ Bᵀ,   A ∈ ℝ^{r×in} and B ∈ ℝ^{out×r} frozen,  R ∈ ℝ^{r×r},  s = α / r</pre>
 * The paper's A and B come from the SVD of the base weight (and LoRA-SB's from a gradient); those
 * schemes are initializers given to this constructor. The defaults — A, B ~ U(±1/√fan_in) and
 * R = 0 — make the adapter an exact no-op at init while R still receives the gradient s·Bᵀ g A.
 */
public final class LoRAXSLinear extends LowRankAdapter {
  private final Parameter a;
  private final Parameter b;
  private final Parameter r;

  public LoRAXSLinear(Linear base, int rank, double alpha, Rng rng) {
    this(base, rank, alpha, Initializers.pytorchDefaultWeight(), Initializers.pytorchDefaultWeight(),
        Initializers.zeros(), rng);
  }

  public LoRAXSLinear(Linear base, int rank, double alpha, Initializer aInit, Initializer bInit,
                      Initializer rInit, Rng rng) {
    super(base, scale("lora-xs", alpha, rank));
    this.a = param("lora_A", Shape.of(rank, base.inFeatures()), aInit, rng);
    this.b = param("lora_B", Shape.of(base.outFeatures(), rank), bInit, rng);
    this.r = param("lora_R", Shape.of(rank, rank), rInit, rng);
    a.setTrainable(false);
    b.setTrainable(false);
  }

  @Override
  Tensor update(Tensor x) {
    Tensor low = x.matmul(a.value().transpose(0, 1)).matmul(r.value().transpose(0, 1)); // (…, r)
    return low.matmul(b.value().transpose(0, 1));                                         // (…, out)
  }

  @Override
  public int rank() {
    return a.shape().dim(0);
  }

  @Override
  Tensor product() {
    return b.value().matmul(r.value()).matmul(a.value());
  }

  public Parameter loraR() {
    return r;
  }

  public Parameter loraA() {
    return a;
  }

  public Parameter loraB() {
    return b;
  }
}
