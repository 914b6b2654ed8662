package org.incipit.optim;

import java.util.Map;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Parameter;

/**
 * Updates parameters from the {@link Gradients} one {@code backward()} returned. Implemented by
 * {@link Sgd}, {@link AdamW} and {@link SgdSai}.
 *
 * <p>A learning-rate schedule is applied by setting a factor before each step; every group then
 * uses {@code hyper.lr() · factor} (weight decay follows that scheduled lr, as in PyTorch):
 * <pre>{@code
 * for (long t = opt.steps(); t < total; t++) {
 *   opt.setLrFactor(schedule.factor(t));
 *   opt.step(loss(model, batch(t)).backward());
 * }
 * }</pre>
 * Because the loop starts at {@link #steps()}, the same loop resumes a run after
 * {@link #loadStateDict}.
 */
public interface Optimizer {
  /**
   * Updates every parameter that has a gradient in {@code grads}; parameters without one are
   * skipped and get no state (PyTorch semantics). The gradient of a parameter is looked up by its
   * current value, so {@code grads} must come from a backward pass run after the previous step.
   * A {@linkplain Parameter#setMask masked} parameter's gradient is multiplied by its mask before
   * the update, and its new value is masked again, so pruned entries stay zero and get no state.
   *
   * @throws IllegalArgumentException when {@code grads} is not empty but holds a gradient for none
   *     of this optimizer's parameters (stale gradients, or gradients of another model), or when a
   *     gradient's shape or dtype differs from its parameter's
   */
  void step(Gradients grads);

  /** The number of {@link #step} calls so far (saved in the state). */
  long steps();

  /** Sets the multiplier of every group's base learning rate for the following steps (initially 1). */
  void setLrFactor(double factor);

  double lrFactor();

  /** The parameters this optimizer updates, by path, in group order. */
  Map<String, Parameter> parameters();

  /**
   * The exact bytes of state held: Σ numel·dtype.bytes() over every state tensor, plus 8 bytes for
   * every scalar (per-parameter step counters and g-SNR values, and the optimizer's own step
   * count). Hyperparameters and the lr factor are configuration, not state.
   */
  long stateBytes();

  /**
   * The state as tensors: {@code "<path>.<slot>"} for each parameter with state (slots such as
   * {@code exp_avg}, {@code momentum_buffer}; scalars such as {@code step} and {@code gsnr} as 0-d
   * F64 tensors) and {@code "steps"} (0-d F64). This is a snapshot: a CPU update overwrites a state
   * buffer in place only while no one else holds it, and a buffer handed out here is never written
   * again (the next step writes a new one).
   */
  Map<String, Tensor> stateDict();

  /**
   * Replaces the whole state with {@code state} (as {@link #stateDict()} wrote it). Unknown paths
   * or slots, missing slots, missing {@code "steps"}, and wrong shapes or dtypes are errors that
   * list every problem; nothing changes unless everything fits. Tensors are moved to their
   * parameter's dtype and device. The given tensors are never written by later steps.
   */
  void loadStateDict(Map<String, Tensor> state);
}
