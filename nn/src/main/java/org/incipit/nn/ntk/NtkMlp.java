package org.incipit.nn.ntk;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.nn.ModuleList;
import org.incipit.tensor.Rng;

/**
 * A ReLU MLP in the NTK parameterization ({@link NtkLinear} layers, ReLU between them, a linear
 * output), the network of Jacot et al.'s experiments (arXiv:1806.07572, §6):
 * <pre>
 * x (B, n₀) → NtkLinear → ReLU → … → NtkLinear → f (B, n_L)
 * </pre>
 * Parameters {@code layers.i.weight} [n_{i+1}, n_i] and {@code layers.i.bias}, all N(0, 1).
 */
public final class NtkMlp extends Layer {
  private final ModuleList<NtkLinear> layers;

  /** Widths n₀ → n₁ → … → n_L (at least two), bias scale β. */
  public NtkMlp(int[] widths, double beta, Rng rng) {
    if (widths.length < 2) {
      throw new IllegalArgumentException("ntk mlp: needs at least an input and an output width, got "
          + java.util.Arrays.toString(widths));
    }
    List<NtkLinear> list = new ArrayList<>();
    for (int i = 0; i + 1 < widths.length; i++) {
      list.add(new NtkLinear(widths[i], widths[i + 1], beta, rng.fork("layers").fork(i)));
    }
    this.layers = child("layers", new ModuleList<>(list));
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = x;                                        // (B, n₀)
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).forward(h);                      // (B, n_{i+1})
      if (i + 1 < layers.size()) {
        h = h.relu();
      }
    }
    return h;                                            // (B, n_L)
  }

  public List<NtkLinear> layers() {
    return layers.items();
  }
}
