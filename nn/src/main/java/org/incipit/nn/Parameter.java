package org.incipit.nn;

import org.incipit.autograd.Tensor;
import org.incipit.init.Fans;
import org.incipit.init.Initializer;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A trainable tensor of a {@link Module}: its shape is fixed at construction, and it remembers the
 * {@link Initializer}, the fans and the random stream it was drawn with (init provenance), so
 * {@link #reset()} draws exactly the same values again and {@link Module#initReport()} can say how
 * every parameter was made. A special init (S4D's Δ, a zero residual branch, LoRA's B = 0) is the
 * parameter's recorded initializer, so a reset re-applies it instead of a generic scheme.
 *
 * <p>Tensors are immutable, so a parameter holds its current value and an optimizer or a
 * checkpoint load replaces it with {@link #assign}. The value is a leaf that requires gradients
 * unless the parameter is frozen.
 *
 * <p>A parameter may carry a fixed 0/1 {@linkplain #setMask mask} (pruning at initialization):
 * every value it takes — from an optimizer step, a checkpoint load or a re-draw — is multiplied
 * by the mask, so a pruned entry stays exactly zero whatever updates it; the optimizers in
 * {@code org.incipit.optim} also mask the gradient they read, so their state (momentum, moments,
 * g-SNR) only sees the kept entries. {@link Module#withParameters} binds values as they are.
 * Held by {@code MaskedParameterTest} (optim).
 */
public final class Parameter {
  private final Shape shape;
  private Initializer initializer;
  private final Fans fans;
  private Rng stream;
  private Tensor value;
  private boolean trainable = true;
  private Tensor mask;

  Parameter(Shape shape, Initializer initializer, Fans fans, Rng stream) {
    this.shape = shape;
    this.initializer = initializer;
    this.fans = fans;
    this.stream = stream;
    assign(initializer.create(shape, fans, stream));
  }

  /** The current value: a leaf that requires gradients when the parameter is trainable. */
  public Tensor value() {
    return value;
  }

  public Shape shape() {
    return shape;
  }

  public Initializer initializer() {
    return initializer;
  }

  /** The fans the initializer was given (those of the layer's weight, also for its bias). */
  public Fans fans() {
    return fans;
  }

  /** The random stream the value was last drawn from (the module's seed forked by the parameter's path). */
  public Rng stream() {
    return stream;
  }

  public boolean trainable() {
    return trainable;
  }

  /** Freezes (no gradients) or unfreezes the parameter. */
  public void setTrainable(boolean trainable) {
    this.trainable = trainable;
    this.value = trainable ? value.detach().withGrad() : value.detach();
  }

  /**
   * Replaces the value, keeping the parameter's dtype and device. The new tensor must have the
   * parameter's shape.
   */
  public void assign(Tensor v) {
    if (!v.shape().equals(shape)) {
      throw new IllegalArgumentException("parameter of shape " + shape + " cannot take a value of shape " + v.shape());
    }
    Tensor t = v.detach();
    if (value != null) {
      t = t.cast(value.dtype()).to(value.device()).detach();
    } else if (!t.dtype().isFloating()) {
      throw new IllegalArgumentException("parameters are floating tensors, got " + t.dtype());
    }
    if (mask != null) {
      t = t.mul(mask).detach(); // pruned entries stay exactly zero
    }
    value = trainable ? t.withGrad() : t;
  }

  /**
   * Fixes a 0/1 mask of the parameter's shape and applies it to the current value; every later
   * value is masked too. Entries other than 0 and 1 are rejected.
   */
  public void setMask(Tensor m) {
    if (!m.shape().equals(shape)) {
      throw new IllegalArgumentException("parameter of shape " + shape + " cannot take a mask of shape " + m.shape());
    }
    for (double v : m.toDoubles()) {
      if (v != 0 && v != 1) {
        throw new IllegalArgumentException("a parameter mask holds only 0 and 1, found " + v);
      }
    }
    mask = m.detach().cast(value.dtype()).to(value.device()).detach();
    assign(value);
  }

  /** The mask, or null when the parameter is not masked. */
  public Tensor mask() {
    return mask;
  }

  /** Removes the mask (the value keeps its zeros until it is updated). */
  public void clearMask() {
    mask = null;
  }

  /** Swaps in {@code t} as it is — no detach, no cast — and returns the previous value (see {@link Module#withParameters}). */
  Tensor bind(Tensor t) {
    if (!t.shape().equals(shape)) {
      throw new IllegalArgumentException("parameter of shape " + shape + " cannot take a value of shape " + t.shape());
    }
    Tensor old = value;
    value = t;
    return old;
  }

  /** Replaces the initializer (provenance) and draws the value from it with {@code rng}. */
  public void reinitialize(Initializer init, Rng rng) {
    this.initializer = init;
    reset(rng);
  }

  /** Draws the value again from the recorded initializer with {@code rng}, which becomes the recorded stream. */
  public void reset(Rng rng) {
    this.stream = rng;
    assign(initializer.create(shape, fans, rng));
  }

  /** Draws the value again from the recorded initializer and stream: the values it had when it was drawn. */
  public void reset() {
    reset(stream);
  }

  /** Moves the value to another dtype/device (used by {@link Module#to}). */
  void convert(org.incipit.tensor.DType dtype, org.incipit.tensor.Device device) {
    Tensor t = value.detach().cast(dtype).to(device).detach();
    value = trainable ? t.withGrad() : t;
    if (mask != null) {
      mask = mask.cast(dtype).to(device).detach();
    }
  }

  @Override
  public String toString() {
    return "Parameter" + shape + " " + value.dtype() + " init=" + initializer + (trainable ? "" : " frozen");
  }
}
