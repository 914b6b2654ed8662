package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.Shape;

/**
 * LayerNorm over the last axis as one fused primitive, for backends that have the "layer_norm"
 * kernel ({@code Functional.layerNorm} uses the composite {@code layerNormReference} elsewhere;
 * that composite is the reference this op is tested against). Per row of n elements, with μ the
 * mean, σ² the biased variance, ρ = 1/√(σ² + ε) and x̂ = (x − μ)·ρ:
 * <pre>
 * y  = x̂·γ + β
 * dx = ρ·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)),   ĝ = dy·γ
 * dγ = Σ_rows dy·x̂,   dβ = Σ_rows dy
 * </pre>
 * The forward saves μ and ρ per row. A first-order backward (run under {@link NoGrad}) is the
 * backend's fused kernel; a backward that builds a graph (higher-order gradients) evaluates the
 * same formulas in Tensor code, recomputing μ and ρ from x so that they are differentiated too.
 */
public final class LayerNormRows {
  private LayerNormRows() {}

  /** y = layer_norm(x) over the last axis; weight and bias (last-axis size, x's dtype) may be null. */
  public static Tensor apply(Tensor x, Tensor weight, Tensor bias, double eps) {
    Elementwise.requireFloating("layer_norm", x);
    Devices.requireSame("layer_norm", x, weight, bias);
    Tensor c = x.contiguous();
    Tensor w = weight == null ? null : weight.contiguous();
    Shape s = x.shape();
    int cols = s.dim(-1);
    int rows = Elementwise.rows(s);
    Buffer[] out = c.backend().layerNormRows(c.buffer(), w == null ? null : w.buffer(),
        bias == null ? null : bias.contiguous().buffer(), rows, cols, eps);
    Buffer mean = out[1];
    Buffer rstd = out[2];
    BackwardRule rule = (gy, y, in) -> NoGrad.isActive()
        ? fused(gy, c, w, mean, rstd, rows, cols, weight != null || bias != null)
        : graph(gy, in[0], in[1], eps);
    return Tensor.record("layer_norm", out[0], s, rule, x, weight, bias);
  }

  /** The backend's backward kernel: {dx, dγ, dβ} (null where there is no parameter). */
  private static Tensor[] fused(Tensor gy, Tensor x, Tensor w, Buffer mean, Buffer rstd, int rows, int cols,
                                boolean params) {
    Backend be = x.backend();
    Buffer[] g = be.layerNormRowsBackward(gy.contiguous().buffer(), x.buffer(), mean, rstd,
        w == null ? null : w.buffer(), rows, cols, params);
    Shape p = Shape.of(cols);
    return new Tensor[] {Tensor.wrap(g[0], x.shape()), g[1] == null ? null : Tensor.wrap(g[1], p),
        g[2] == null ? null : Tensor.wrap(g[2], p)};
  }

  /** The same gradients in Tensor code, differentiable again (dγ, dβ in x's shape: the engine sums them). */
  private static Tensor[] graph(Tensor gy, Tensor x, Tensor weight, double eps) {
    Tensor centered = x.sub(x.meanKeepDims(-1));                                // (…, n)
    Tensor rstd = centered.square().meanKeepDims(-1).add(eps).pow(-0.5);       // (…, 1)
    Tensor xhat = centered.mul(rstd);
    Tensor g = weight == null ? gy : gy.mul(weight);
    Tensor dx = rstd.mul(g.sub(g.meanKeepDims(-1)).sub(xhat.mul(g.mul(xhat).meanKeepDims(-1))));
    return new Tensor[] {dx, gy.mul(xhat), gy};
  }
}
