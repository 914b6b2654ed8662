package org.incipit.nn.adapters;

import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
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
public final class LoRALinear extends Layer {
  private final Linear base;
  private final Parameter a;
  private final Parameter b;
  private final double scale;
  private boolean merged;

  public LoRALinear(Linear base, int rank, double alpha, Rng rng) {
    this(base, rank, alpha, Initializers.pytorchDefaultWeight(), Initializers.zeros(), rng);
  }

  public LoRALinear(Linear base, int rank, double alpha, Initializer aInit, Initializer bInit, Rng rng) {
    if (rank < 1) {
      throw new IllegalArgumentException("lora: rank must be ≥ 1, got " + rank);
    }
    this.base = child("base", base);
    base.parameters().forEach(p -> p.setTrainable(false));
    this.a = param("lora_A", Shape.of(rank, base.inFeatures()), aInit, rng);
    this.b = param("lora_B", Shape.of(base.outFeatures(), rank), bInit, rng);
    this.scale = alpha / rank;
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor y = base.forward(x);
    if (merged) {
      return y;
    }
    Tensor low = x.matmul(a.value().transpose(0, 1)); // (…, r)
    return y.add(low.matmul(b.value().transpose(0, 1)).mul(scale)); // (…, out)
  }

  /** s·B·A, the update this adapter adds to the base weight. */
  public Tensor delta() {
    return NoGrad.run(() -> b.value().matmul(a.value()).mul(scale));
  }

  /** Folds s·BA into the base weight; forward then uses the base alone. */
  public void merge() {
    if (!merged) {
      base.weight().assign(NoGrad.run(() -> base.weight().value().add(delta())));
      merged = true;
    }
  }

  /** Removes s·BA from the base weight again. */
  public void unmerge() {
    if (merged) {
      base.weight().assign(NoGrad.run(() -> base.weight().value().sub(delta())));
      merged = false;
    }
  }

  public boolean isMerged() {
    return merged;
  }

  public Parameter loraA() {
    return a;
  }

  public Parameter loraB() {
    return b;
  }

  public double scale() {
    return scale;
  }

  public Linear base() {
    return base;
  }
}
