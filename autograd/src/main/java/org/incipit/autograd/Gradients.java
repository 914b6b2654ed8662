package org.incipit.autograd;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The gradients one call of {@code backward()} returned, keyed by tensor identity. Immutable.
 * Nothing accumulates implicitly: combine two results with {@link #plus}.
 */
public final class Gradients {
  private final Map<Tensor, Tensor> grads;

  Gradients(Map<Tensor, Tensor> grads) {
    this.grads = grads;
  }

  /** No gradients at all. */
  public static Gradients empty() {
    return new Gradients(new IdentityHashMap<>());
  }

  /**
   * Gradients given explicitly rather than by {@code backward()}: a copy of {@code grads} keyed by
   * tensor identity (for clipping, gradient surgery, or stepping an optimizer with known
   * gradients). Each gradient must have its tensor's shape.
   *
   * <pre>{@code
   * Gradients g = Gradients.from(Map.of(w.value(), Tensors.onesLike(w.value())));
   * }</pre>
   */
  public static Gradients from(Map<Tensor, Tensor> grads) {
    Map<Tensor, Tensor> copy = new IdentityHashMap<>();
    grads.forEach((t, g) -> {
      if (t == null || g == null) {
        throw new IllegalArgumentException("Gradients.from: null tensor or gradient");
      }
      if (!g.shape().equals(t.shape())) {
        throw new IllegalArgumentException("Gradients.from: a gradient of shape " + g.shape()
            + " cannot belong to a tensor of shape " + t.shape());
      }
      copy.put(t, g);
    });
    return new Gradients(copy);
  }

  /**
   * The gradient of {@code t}, same shape and dtype.
   *
   * @throws IllegalArgumentException when backward did not reach {@code t}
   */
  public Tensor of(Tensor t) {
    Tensor g = grads.get(t);
    if (g == null) {
      throw new IllegalArgumentException("no gradient for tensor " + t.shape() + " " + t.dtype()
          + (t.requiresGrad() ? ": backward() did not reach it (is it used in the output?)"
              : ": it does not require gradients (make it with withGrad())"));
    }
    return g;
  }

  /** The gradient of {@code t}, or zeros of its shape when backward did not reach it. */
  public Tensor orZeros(Tensor t) {
    Tensor g = grads.get(t);
    return g != null ? g : Tensors.zerosLike(t);
  }

  public boolean contains(Tensor t) {
    return grads.containsKey(t);
  }

  /** The tensors that have a gradient here. */
  public Set<Tensor> tensors() {
    return Collections.unmodifiableSet(grads.keySet());
  }

  public int size() {
    return grads.size();
  }

  /** The elementwise sum of two results (tensors present in only one keep their gradient). */
  public Gradients plus(Gradients other) {
    Map<Tensor, Tensor> sum = new IdentityHashMap<>(grads);
    other.grads.forEach((t, g) -> sum.merge(t, g, Tensor::add));
    return new Gradients(sum);
  }
}
