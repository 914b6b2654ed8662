package org.incipit.nn.adapters;

import org.incipit.autograd.Tensor;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models", arXiv:2106.09685)
 * around a frozen {@link Linear}:
 * <pre>y = base(x) + s · x Aᵀ Bᵀ,   A ∈ ℝ^{r×in},  B ∈ ℝ^{out×r},  s = α / r</pre>
 * Defaults as PEFT's {@code init_lora_weights=True}: A ~ kaiming_uniform(a = √5) = U(±1/√in),
 * B = 0, so the adapter is a no-op at init. {@link #merge} folds s·BA into the base weight and
 * {@link #unmerge} takes it out again.
 */
public final class LoRALinear extends LowRankAdapter {
  private final Parameter a;
  private final Parameter b;

  public LoRALinear(Linear base, int rank, double alpha, Rng rng) {
    this(base, rank, alpha, Initializers.pytorchDefaultWeight(), Initializers.zeros(), rng);
  }

  public LoRALinear(Linear base, int rank, double alpha, Initializer aInit, Initializer bInit, Rng rng) {
    super(base, scale("lora", alpha, rank));
    this.a = param("lora_A", Shape.of(rank, base.inFeatures()), aInit, rng);
    this.b = param("lora_B", Shape.of(base.outFeatures(), rank), bInit, rng);
  }

  @Override
  Tensor update(Tensor x) {
    Tensor low = x.matmul(a.value().transpose(0, 1)); // (…, r)
    return low.matmul(b.value().transpose(0, 1));     // (…, out)
  }

  @Override
  public int rank() {
    return a.shape().dim(0);
  }

  @Override
  Tensor product() {
    return b.value().matmul(a.value());
  }

  public Parameter loraA() {
    return a;
  }

  public Parameter loraB() {
    return b;
  }
}
