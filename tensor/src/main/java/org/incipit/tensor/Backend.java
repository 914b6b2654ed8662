package org.incipit.tensor;

/**
 * Everything a device must implement. Compute methods take contiguous buffers and return new
 * contiguous buffers; only {@link #copyStrided} and {@link #scatterStrided} interpret a
 * {@link Layout}. Shapes are passed as the few integers each kernel needs.
 *
 * <p>Floating kernels run in the buffer's own precision; integer and boolean inputs are computed
 * through double (exact for integers below 2^53). Sums accumulate in double even for F32.
 *
 * <p>Errors: index kernels check every index and throw {@link IndexOutOfBoundsException} naming the
 * index and the bound; nothing is written to a returned buffer after an error.
 */
public interface Backend extends AutoCloseable {
  /** A short name ("cpu", "opencl:0 Portable Computing Language"). */
  String name();

  /** A new buffer of {@code n} zeros. */
  Buffer zeros(DType dtype, int n);

  /** A new buffer of {@code n} copies of {@code value} (converted to {@code dtype}). */
  Buffer full(DType dtype, int n, double value);

  /** A buffer holding {@code data} converted to {@code dtype} (rounded for F32, truncated for ints). */
  Buffer fromHost(DType dtype, double[] data);

  /** A F32 buffer holding exactly {@code data}. */
  Buffer fromHost(float[] data);

  /** An integer (I32/I64) buffer holding exactly {@code data}. */
  Buffer fromHost(DType dtype, long[] data);

  /** The elements as doubles (exact for every supported type but I64 beyond 2^53). */
  double[] toDoubles(Buffer buffer);

  /** The elements of a F32 buffer. */
  float[] toFloats(Buffer buffer);

  /** The elements of an integer or boolean buffer as longs. */
  long[] toLongs(Buffer buffer);

  /** y_i = f(x_i, s). */
  Buffer unary(Kernel.Unary kernel, Buffer x, double s);

  /** y_i = f(a_i, b_i); both buffers have the same size and dtype. */
  Buffer binary(Kernel.Binary kernel, Buffer a, Buffer b);

  /**
   * y = f(a, b) over the shape of the two views, which read {@code a} and {@code b} with
   * broadcasting (stride 0 on expanded axes); the result is contiguous. Both buffers share a
   * dtype. The default gathers both views with {@link #copyStrided} and calls
   * {@link #binary(Kernel.Binary, Buffer, Buffer)}; a backend may read the views directly.
   */
  default Buffer binary(Kernel.Binary kernel, Buffer a, Layout aView, Buffer b, Layout bView) {
    Buffer ca = aView.isWhole(a.size()) ? a : copyStrided(a, aView);
    Buffer cb = bView.isWhole(b.size()) ? b : copyStrided(b, bView);
    return binary(kernel, ca, cb);
  }

  /** y_i = cond_i ? a_i : b_i; cond is BOOL, a and b share a dtype. */
  Buffer where(Buffer cond, Buffer a, Buffer b);

  /** Each element converted to {@code to}; float to int truncates toward zero. */
  Buffer cast(Buffer x, DType to);

  /** Reductions along the middle axis of a contiguous (outer, n, inner) tensor. */
  enum Reduction {
    SUM, MAX, ARGMAX;

    /**
     * The checks every backend makes before reducing a buffer of {@code size} elements seen as
     * (outer, n, inner).
     *
     * @throws IllegalArgumentException when the sizes disagree, or when MAX or ARGMAX meet n = 0
     */
    public void check(int size, int outer, int n, int inner) {
      if ((long) outer * n * inner != size) {
        throw new IllegalArgumentException("reduce: " + outer + "x" + n + "x" + inner + " does not match "
            + size + " elements");
      }
      if (this != SUM && n == 0) {
        throw new IllegalArgumentException(name().toLowerCase(java.util.Locale.ROOT)
            + ": cannot reduce an empty dimension");
      }
    }
  }

  /**
   * Reduces the middle axis of {@code x} seen as (outer, n, inner) into (outer, inner). MAX
   * propagates NaN; ARGMAX returns I64 indices of the first maximum (NaN counts as the maximum).
   */
  Buffer reduce(Reduction kind, Buffer x, int outer, int n, int inner);

  /**
   * Batched matrix product C[b] = op(A[b]) · op(B[b]) with C of shape (batch, m, n). A holds
   * (batch, m, k) — or (batch, k, m) when {@code transA} — and B holds (batch, k, n) — or
   * (batch, n, k) when {@code transB}. A batch stride of 0 ({@code aBatched == false}) shares one
   * matrix across the batch.
   */
  Buffer matmul(Buffer a, boolean aBatched, boolean transA, Buffer b, boolean bBatched, boolean transB,
                int batch, int m, int k, int n);

  /** The elements of {@code view} over {@code src}, gathered into a new contiguous buffer. */
  Buffer copyStrided(Buffer src, Layout view);

  /**
   * Writes the contiguous {@code src} into {@code dst} at the positions of {@code dstView}, which
   * must not overlap itself. {@code dst} must be a buffer the caller has just allocated and not
   * shared; it is returned.
   */
  Buffer scatterStrided(Buffer dst, Layout dstView, Buffer src);

  /**
   * torch.gather along the middle axis: {@code out[o, j, i] = src[o, index[o, j, i], i]} with src
   * seen as (outer, n, inner) and index/out as (outer, m, inner).
   */
  Buffer gather(Buffer src, int outer, int n, int inner, Buffer index, int m);

  /**
   * torch.scatter_add along the middle axis: a copy of {@code into} (outer, n, inner) with
   * {@code src[o, j, i]} added at {@code [o, index[o, j, i], i]}; index and src are (outer, m, inner).
   * Additions happen in index order, so the result is deterministic.
   */
  Buffer scatterAdd(Buffer into, int outer, int n, int inner, Buffer index, Buffer src, int m);

  /** index_select: {@code out[o, j, i] = src[o, index[j], i]}; index is 1-D of length m. */
  Buffer indexSelect(Buffer src, int outer, int n, int inner, Buffer index, int m);

  /** index_add: a copy of {@code into} with {@code src[o, j, i]} added at {@code [o, index[j], i]}. */
  Buffer indexAdd(Buffer into, int outer, int n, int inner, Buffer index, Buffer src, int m);

  /**
   * Whether this backend has the optional fused kernel {@code name} ("softmax", "scaled_softmax",
   * "softmax_backward", "cross_entropy", "bias_act", "layer_norm", …). Callers that get
   * false use the composite of primitive ops, which stays the reference the fused kernel is
   * tested against.
   */
  default boolean hasFused(String name) {
    return false;
  }

  /**
   * Optional fused kernel "softmax": softmax (or log-softmax when {@code log}) of each of the
   * {@code rows} contiguous rows of {@code cols} elements, computed as e^(x−m)/Σe^(x−m) with m the
   * row maximum (or x − m − log Σ e^(x−m)). Only called when {@link #hasFused} says so.
   */
  default Buffer softmaxRows(Buffer x, int rows, int cols, boolean log) {
    throw new UnsupportedOperationException(name() + " has no fused softmax");
  }

  /**
   * Optional fused kernel "scaled_softmax": softmax(s·x + mask) of each of the {@code rows}
   * contiguous rows of {@code cols} attention scores, where with {@code causal} row r is query
   * position i = r mod t and the mask is −∞ at columns j &gt; i, else 0. Equals the
   * composite softmax(x·s masked with −∞). Only called when {@link #hasFused} says so.
   */
  default Buffer scaledSoftmaxRows(Buffer x, int rows, int cols, int t, boolean causal, double scale) {
    throw new UnsupportedOperationException(name() + " has no fused scaled softmax");
  }

  /**
   * Optional fused kernel "softmax_backward": for each of the {@code rows} contiguous rows, the
   * gradient of {@link #softmaxRows} given its output y and the output gradient dy, in one pass:
   * dx = y ⊙ (dy − Σⱼ dyⱼ yⱼ) for softmax, dx = dy − e^y · Σⱼ dyⱼ for log-softmax (y = log p).
   */
  default Buffer softmaxRowsBackward(Buffer dy, Buffer y, int rows, int cols, boolean log) {
    throw new UnsupportedOperationException(name() + " has no fused softmax backward");
  }

  /**
   * Optional fused kernel "cross_entropy": for each row r of the logits x (rows, cols) and its
   * class {@code target[r]} (I64; a negative target marks an ignored row), with label smoothing ε:
   * <pre>
   * m = max x,  lse = m + log Σⱼ e^(xⱼ−m),  loss_r = lse − (1−ε)·x[t] − ε·(1/C)·Σⱼ xⱼ
   * </pre>
   * Returns 3·rows elements in the logits' dtype: the row losses (ℓ·0 where ignored), then the row
   * shifts m (0 where m is infinite), then log Σⱼ e^(xⱼ−m), which the backward reads.
   */
  default Buffer crossEntropyRows(Buffer logits, Buffer target, int rows, int cols, double smoothing) {
    throw new UnsupportedOperationException(name() + " has no fused cross-entropy");
  }

  /**
   * Backward of {@link #crossEntropyRows}: dx[r, j] = g[r]·(e^(x[r, j]−lse_r) − (1−ε)·[j = t_r] − ε/C),
   * g·0 on ignored rows, given the logits, targets, the forward's returned {@code stats} and the row
   * gradients g (rows).
   */
  default Buffer crossEntropyRowsBackward(Buffer logits, Buffer target, Buffer stats, Buffer g, int rows, int cols,
                                          double smoothing) {
    throw new UnsupportedOperationException(name() + " has no fused cross-entropy");
  }

  /**
   * Optional fused kernel "bias_act": y = act(z + b) with z (rows, cols), b (cols) added to every
   * row, act "identity" or "relu" (relu(0) = 0).
   */
  default Buffer biasActivation(Buffer z, Buffer bias, int rows, int cols, String act) {
    throw new UnsupportedOperationException(name() + " has no fused bias + activation");
  }

  /**
   * Backward of {@link #biasActivation} given its output y and the output gradient dy (rows, cols):
   * returns dz = dy ⊙ act′(y) (relu′ = [y &gt; 0], applied as a product), and, unless {@code db} is
   * null, writes db = Σ_r dz[r, ·] into it (cols elements, each summed in double, rows in order);
   * {@code db} must be a buffer the caller has just allocated and not shared.
   */
  default Buffer biasActivationBackward(Buffer dy, Buffer y, int rows, int cols, String act, Buffer db) {
    throw new UnsupportedOperationException(name() + " has no fused bias + activation");
  }

  /**
   * Optional fused kernel "layer_norm": each of the {@code rows} contiguous rows of {@code cols}
   * elements normalised, with μ the row mean and ρ = 1/√(σ² + ε) (σ² the biased variance, both
   * summed in double in index order):
   * <pre>y = (x − μ)·ρ·γ + β</pre>
   * {@code weight} γ and {@code bias} β hold {@code cols} elements, or are null (1 and 0). Returns
   * {y, μ, ρ} with μ and ρ ({@code rows} each) in x's dtype, as the backward takes them.
   */
  default Buffer[] layerNormRows(Buffer x, Buffer weight, Buffer bias, int rows, int cols, double eps) {
    throw new UnsupportedOperationException(name() + " has no fused layer_norm");
  }

  /**
   * The backward of {@link #layerNormRows} given dy, x and the saved μ, ρ; with ĝ = dy·γ and
   * x̂ = (x − μ)·ρ, per row:
   * <pre>dx = ρ·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)),   dγ = Σ_rows dy·x̂,   dβ = Σ_rows dy</pre>
   * Returns {dx, dγ, dβ}; dγ and dβ ({@code cols} each, summed over rows in row order) are null
   * unless {@code paramGrads}.
   */
  default Buffer[] layerNormRowsBackward(Buffer gy, Buffer x, Buffer mean, Buffer rstd, Buffer weight,
                                         int rows, int cols, boolean paramGrads) {
    throw new UnsupportedOperationException(name() + " has no fused layer_norm");
  }

  @Override
  default void close() {}
}
