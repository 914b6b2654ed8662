package org.incipit.autograd;

import org.incipit.autograd.ops.Elementwise;
import org.incipit.autograd.ops.Gelu;
import org.incipit.autograd.ops.LayerNormRows;
import org.incipit.autograd.ops.ScaledSoftmax;
import org.incipit.autograd.ops.SoftmaxRows;
import org.incipit.autograd.ops.Softplus;
import org.incipit.autograd.ops.Spike;
import org.incipit.tensor.Shape;

/**
 * Composite functions of neural networks, written in Tensor ops so their gradients come from the
 * primitives' rules (no backward code here). Losses are in {@link Losses}, convolution and pooling
 * in {@link Convolutions}.
 */
public final class Functional {
  private Functional() {}

  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

  /**
   * GELU, exact form (Hendrycks &amp; Gimpel 2016, arXiv:1606.08415). <pre>x·Φ(x) = ½x(1 + erf(x/√2))</pre>
   * One primitive with a one-pass derivative (see {@link Gelu}).
   */
  public static Tensor gelu(Tensor x) {
    return Gelu.apply(x);
  }

  /** {@link #gelu} as a composite of primitives: the reference of the fused kernel. */
  public static Tensor geluReference(Tensor x) {
    return x.mul(x.mul(SQRT_HALF).erf().add(1.0)).mul(0.5);
  }

  /** GELU, tanh approximation (GPT-2). <pre>½x(1 + tanh(√(2/π)(x + 0.044715x³)))</pre> */
  public static Tensor geluTanh(Tensor x) {
    Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return x.mul(inner.tanh().add(1.0)).mul(0.5);
  }

  /** SiLU / swish (Elfwing et al. 2017, arXiv:1702.03118). <pre>x·σ(x)</pre> */
  public static Tensor silu(Tensor x) {
    return x.mul(x.sigmoid());
  }

  /**
   * Gated linear unit along {@code dim} (Dauphin, Fan, Auli, Grangier 2017, arXiv:1612.08083), as
   * PyTorch's F.glu: the first half of the axis gated by the sigmoid of the second.
   * <pre>glu([a; b]) = a ⊙ σ(b)</pre>
   */
  public static Tensor glu(Tensor x, int dim) {
    int n = x.size(dim);
    if (n % 2 != 0) {
      throw new IllegalArgumentException("glu: dimension " + dim + " of " + x.shape() + " has odd size " + n);
    }
    return x.slice(dim, 0, n / 2).mul(x.slice(dim, n / 2, n).sigmoid());
  }

  /** Softplus ln(1 + eˣ) with PyTorch's threshold 20 (a primitive: see {@link Softplus}). */
  public static Tensor softplus(Tensor x) {
    return Softplus.apply(x);
  }

  /** Leaky ReLU. <pre>x if x &gt; 0 else slope·x</pre> (the derivative at 0 is {@code slope}, as PyTorch). */
  public static Tensor leakyRelu(Tensor x, double slope) {
    Elementwise.requireFloating("leaky_relu", x);
    return Tensors.where(x.gt(0.0), x, x.mul(slope));
  }

  /**
   * The spike of a spiking neuron: H(z) = 1[z &gt; 0] forward, the surrogate γ·max(0, 1 − |z|) as
   * its backward (a primitive: see {@link Spike}, which says why the rule is not the derivative).
   */
  public static Tensor spike(Tensor z, double gamma) {
    return Spike.apply(z, gamma);
  }

  /** The maximum along {@code dim}, kept, detached and with ±Inf replaced by 0 (a safe shift). */
  private static Tensor shift(Tensor x, int dim) {
    Tensor m = x.detach().maxKeepDims(dim);
    return Tensors.where(m.abs().lt(Double.POSITIVE_INFINITY), m, m.constant(0.0));
  }

  /**
   * Softmax along {@code dim}, stable for any finite logits. <pre>softmax(x)ᵢ = e^(xᵢ−m) / Σⱼ e^(xⱼ−m)</pre>
   * with m the (detached) maximum: the result does not depend on m, so no gradient flows through it.
   */
  public static Tensor softmax(Tensor x, int dim) {
    if (fusedLastAxis(x, dim)) {
      return SoftmaxRows.apply(x, false);
    }
    return softmaxReference(x, dim);
  }

  /** {@link #softmax} as a composite of primitives: the reference of the fused kernel. */
  public static Tensor softmaxReference(Tensor x, int dim) {
    Tensor e = x.sub(shift(x, dim)).exp();
    return e.div(e.sumKeepDims(dim));
  }

  /** log(softmax(x)) along {@code dim}, computed as (x − m) − log Σ e^(x−m). */
  public static Tensor logSoftmax(Tensor x, int dim) {
    if (fusedLastAxis(x, dim)) {
      return SoftmaxRows.apply(x, true);
    }
    return logSoftmaxReference(x, dim);
  }

  /** {@link #logSoftmax} as a composite of primitives: the reference of the fused kernel. */
  public static Tensor logSoftmaxReference(Tensor x, int dim) {
    Tensor z = x.sub(shift(x, dim));
    return z.sub(z.exp().sumKeepDims(dim).log());
  }

  /** True when {@code dim} is the last axis and the backend has the fused softmax kernel. */
  private static boolean fusedLastAxis(Tensor x, int dim) {
    return x.rank() >= 1 && x.shape().axis(dim) == x.rank() - 1 && x.dtype().isFloating()
        && x.backend().hasFused("softmax");
  }

  /** log Σ eˣ along {@code dim}, stable: m + log Σ e^(x−m). */
  public static Tensor logsumexp(Tensor x, int dim, boolean keepDim) {
    Tensor m = shift(x, dim);
    Tensor out = x.sub(m).exp().sumKeepDims(dim).log().add(m);
    return keepDim ? out : out.squeeze(dim);
  }

  /**
   * Variance over {@code dims} (all when empty) with Bessel-style {@code correction}:
   * <pre>Σ (x − x̄)² / (N − correction)</pre>
   */
  public static Tensor var(Tensor x, int correction, boolean keepDim, int... dims) {
    int[] axes = dims.length == 0 ? x.allAxes() : dims;
    int n = 1;
    for (int d : axes) {
      n *= x.size(d);
    }
    Tensor d = x.sub(x.meanKeepDims(axes));
    Tensor s = keepDim ? d.square().sumKeepDims(axes) : d.square().sum(axes);
    return s.div(n - correction);
  }

  /**
   * Layer normalisation over the trailing {@code normalizedShape} axes (Ba, Kiros, Hinton 2016,
   * arXiv:1607.06450), biased variance as in PyTorch:
   * <pre>y = (x − E[x]) / √(Var[x] + ε) · γ + β</pre>
   * {@code weight} and {@code bias} may be null. Over one axis, with γ and β of that axis' size and
   * x's dtype, on a backend with the fused kernel, this is one primitive ({@link LayerNormRows});
   * otherwise the composite {@link #layerNormReference}.
   */
  public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    requireNormalizedShape(x, normalizedShape);
    if (normalizedShape.length == 1 && x.dtype().isFloating() && x.backend().hasFused("layer_norm")
        && fitsLastAxis(weight, x) && fitsLastAxis(bias, x)) {
      return LayerNormRows.apply(x, weight, bias, eps);
    }
    return layerNormReference(x, normalizedShape, weight, bias, eps);
  }

  /** {@link #layerNorm} as a composite of primitives: the reference of the fused kernel. */
  public static Tensor layerNormReference(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    requireNormalizedShape(x, normalizedShape);
    int k = normalizedShape.length;
    int[] axes = new int[k];
    for (int i = 0; i < k; i++) {
      axes[i] = x.rank() - k + i;
    }
    Tensor centered = x.sub(x.meanKeepDims(axes));
    Tensor var = centered.square().meanKeepDims(axes);
    Tensor y = centered.mul(var.add(eps).pow(-0.5));
    if (weight != null) {
      y = y.mul(weight);
    }
    return bias != null ? y.add(bias) : y;
  }

  private static void requireNormalizedShape(Tensor x, int[] normalizedShape) {
    int k = normalizedShape.length;
    Shape tail = Shape.of(normalizedShape);
    if (x.rank() < k || !Shape.of(java.util.Arrays.copyOfRange(x.shape().dims(), x.rank() - k, x.rank())).equals(tail)) {
      throw new IllegalArgumentException("layer_norm: input " + x.shape() + " does not end with the normalized shape " + tail);
    }
  }

  /** True when {@code p} is null or a vector of x's last-axis size, dtype and device. */
  private static boolean fitsLastAxis(Tensor p, Tensor x) {
    return p == null || (p.rank() == 1 && p.size(0) == x.size(-1) && p.dtype() == x.dtype()
        && p.backend() == x.backend());
  }

  /** RMS normalisation over the last axis (Zhang &amp; Sennrich 2019, arXiv:1910.07467). <pre>x / √(mean(x²) + ε) · γ</pre> */
  public static Tensor rmsNorm(Tensor x, Tensor weight, double eps) {
    Tensor y = x.mul(x.square().meanKeepDims(-1).add(eps).pow(-0.5));
    return weight != null ? y.mul(weight) : y;
  }

  /** Rows of {@code weight} (V, D) at the integer {@code index} of any shape: the result is index.shape + (D). */
  public static Tensor embedding(Tensor index, Tensor weight) {
    if (weight.rank() != 2) {
      throw new IllegalArgumentException("embedding: weight must be 2-D (rows, dim), got " + weight.shape());
    }
    Tensor rows;
    try {
      rows = weight.indexSelect(0, index.flatten());
    } catch (IndexOutOfBoundsException e) {
      throw new IndexOutOfBoundsException("embedding: " + e.getMessage() + " (the weight has " + weight.size(0) + " rows)");
    }
    return rows.reshape(index.shape().insert(index.rank(), weight.size(1)).dims());
  }

  /**
   * Scaled dot-product attention over (…, T, d) queries and (…, S, d) keys and values (Vaswani et
   * al. 2017, arXiv:1706.03762):
   * <pre>softmax(q kᵀ / √d + mask) v</pre>
   * With {@code causal}, position i attends to positions j ≤ i (the mask is −∞ above the diagonal).
   */
  public static Tensor attention(Tensor q, Tensor k, Tensor v, boolean causal) {
    Tensor scores = q.matmul(k.transpose(-1, -2)); // (…, T, S)
    if (scores.dtype().isFloating() && scores.backend().hasFused("scaled_softmax")) {
      return ScaledSoftmax.apply(scores, 1.0 / Math.sqrt(q.size(-1)), causal).matmul(v); // (…, T, d)
    }
    return attentionReference(q, k, v, causal);
  }

  /** {@link #attention} as a composite of primitives: the reference of the fused scaled softmax. */
  public static Tensor attentionReference(Tensor q, Tensor k, Tensor v, boolean causal) {
    int t = q.size(-2);
    int s = k.size(-2);
    Tensor scores = q.matmul(k.transpose(-1, -2)).mul(1.0 / Math.sqrt(q.size(-1))); // (…, T, S)
    if (causal) {
      scores = scores.maskedFill(causalMask(t, s).to(q.device()), Double.NEGATIVE_INFINITY);
    }
    return softmax(scores, -1).matmul(v); // (…, T, d)
  }

  /** BOOL (T, S), true where j &gt; i: the positions a causal query may not see. */
  public static Tensor causalMask(int t, int s) {
    boolean[] m = new boolean[t * s];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < s; j++) {
        m[i * s + j] = true;
      }
    }
    return Tensors.ofBooleans(m, t, s);
  }
}
