package org.incipit.optim;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Parameter;
import org.incipit.tensor.DType;

/** Gradient clipping. Gradients are immutable, so clipping returns new ones. */
public final class Clipping {
  private Clipping() {}

  /**
   * Gradients after clipping, and the global norm before it.
   *
   * @param gradients the clipped gradients (the input itself when no scaling was needed)
   * @param norm ‖g‖₂ over every listed parameter's gradient, before clipping
   */
  public record Clipped(Gradients gradients, double norm) {}

  /**
   * Scales the gradients of {@code params} so that their global L2 norm is at most
   * {@code maxNorm}, with PyTorch's {@code clip_grad_norm_} semantics:
   * <pre>
   * N = √(Σ_p ‖g_p‖²)                (over parameters that have a gradient)
   * c = maxNorm / (N + 1e−6)
   * g_p ← c·g_p                      only when c &lt; 1
   * </pre>
   * The norm is computed in float64; a scaled gradient keeps its dtype. Tensors in {@code grads}
   * that are not values of {@code params} are passed through unchanged. A NaN or infinite norm is
   * reported, not rejected (PyTorch's default): a NaN norm makes every clipped gradient NaN; an
   * infinite one gives c = 0, which zeroes the finite entries and turns the infinite ones into NaN.
   *
   * <pre>{@code
   * Clipping.Clipped c = Clipping.clipByGlobalNorm(loss.backward(), model.parameters(), 1.0);
   * opt.step(c.gradients());
   * }</pre>
   */
  public static Clipped clipByGlobalNorm(Gradients grads, Collection<Parameter> params, double maxNorm) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("maxNorm must be finite and > 0, got " + maxNorm);
    }
    return NoGrad.run(() -> {
      double sumSq = 0;
      for (Parameter p : params) {
        if (grads.contains(p.value())) {
          sumSq += grads.of(p.value()).detach().cast(DType.F64).square().sum().item();
        }
      }
      double norm = Math.sqrt(sumSq);
      double scale = maxNorm / (norm + 1e-6);
      if (!(scale < 1) && !Double.isNaN(scale)) {
        return new Clipped(grads, norm);
      }
      Map<Tensor, Tensor> out = new IdentityHashMap<>();
      for (Tensor t : grads.tensors()) {
        out.put(t, grads.of(t));
      }
      for (Parameter p : params) {
        Tensor v = p.value();
        if (grads.contains(v)) {
          out.put(v, grads.of(v).detach().mul(scale));
        }
      }
      return new Clipped(Gradients.from(out), norm);
    });
  }
}
