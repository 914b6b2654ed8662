package org.incipit.nn;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;

/**
 * A module with one tensor input and one tensor output, so it can be stacked in a
 * {@link Sequential}. {@link #forward} runs the registered hooks after {@link #compute}: hooks see
 * every input and output of the layer — what data-driven initializers need (EVA collects a layer's
 * inputs over batches; a signal-propagation report records per-layer statistics).
 */
public abstract class Layer extends Module {
  /** Called with the layer, its input and its output after every forward. */
  @FunctionalInterface
  public interface Hook {
    void accept(Layer layer, Tensor input, Tensor output);
  }

  private final List<Hook> hooks = new ArrayList<>();

  /** The layer's computation. */
  protected abstract Tensor compute(Tensor x);

  /** Runs the layer and then its hooks. */
  public final Tensor forward(Tensor x) {
    Tensor y = compute(x);
    for (Hook h : List.copyOf(hooks)) {
      h.accept(this, x, y);
    }
    return y;
  }

  /** Adds a hook; closing the returned handle removes it. */
  public final HookHandle addHook(Hook hook) {
    hooks.add(hook);
    return () -> hooks.remove(hook);
  }
}
