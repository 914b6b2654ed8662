package org.incipit.nn.adapters;

import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Linear;

/**
 * What LoRA-style adapters share: a frozen base {@link Linear}, a low-rank update ΔW = s·(…) added
 * to its output, and {@link #merge} / {@link #unmerge}, which fold ΔW into the base weight and take
 * it out again (forward then uses the base alone).
 */
public abstract class LowRankAdapter extends Layer {
  private final Linear base;
  private final double scale;
  private boolean merged;

  LowRankAdapter(Linear base, double scale) {
    this.base = child("base", base);
    base.parameters().forEach(p -> p.setTrainable(false));
    this.scale = scale;
  }

  /** α / r, the scale of the update, for a rank that must be positive. */
  static double scale(String adapter, double alpha, int rank) {
    if (rank < 1) {
      throw new IllegalArgumentException(adapter + ": rank must be ≥ 1, got " + rank);
    }
    return alpha / rank;
  }

  /** The low-rank path (…)·x for input x (…, in) → (…, out), without the scale s. */
  abstract Tensor update(Tensor x);

  /** The update matrix ΔW (out, in), without the scale. */
  abstract Tensor product();

  @Override
  protected final Tensor compute(Tensor x) {
    Tensor y = base.forward(x);
    return merged ? y : y.add(update(x).mul(scale));
  }

  /** s·ΔW, the update this adapter adds to the base weight. */
  public final Tensor delta() {
    return NoGrad.run(() -> product().mul(scale));
  }

  /**
   * W0 + s·ΔW as a tensor in the graph (gradients reach the adapter's trainable factors), or W0
   * alone when merged: the weight a {@link LoraModel} binds in place of the base weight.
   */
  public final Tensor effectiveWeight() {
    Tensor w = base.weight().value();
    return merged ? w : w.add(product().mul(scale)); // (out, in)
  }

  /** The rank r of the update. */
  public abstract int rank();

  /** Folds s·ΔW into the base weight; forward then uses the base alone. */
  public final void merge() {
    if (!merged) {
      base.weight().assign(NoGrad.run(() -> base.weight().value().add(delta())));
      merged = true;
    }
  }

  /** Removes s·ΔW from the base weight again. */
  public final void unmerge() {
    if (merged) {
      base.weight().assign(NoGrad.run(() -> base.weight().value().sub(delta())));
      merged = false;
    }
  }

  public final boolean isMerged() {
    return merged;
  }

  public final double scale() {
    return scale;
  }

  public final Linear base() {
    return base;
  }
}
