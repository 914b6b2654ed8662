package org.incipit.nn.layers;

import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.tensor.Rng;

/**
 * Multi-head causal self-attention over (B, T, C) with separate query, key, value and output
 * projections ({@code wq, wk, wv, wo}: separate matrices keep each one's fans honest — a packed
 * QKV matrix gets another Xavier variance, pytorch#166378).
 * <pre>head_h = softmax(q_h k_hᵀ/√d + causal mask) v_h,   y = concat_h(head_h) W_oᵀ</pre>
 */
public final class CausalSelfAttention extends Layer {
  private final Linear wq;
  private final Linear wk;
  private final Linear wv;
  private final Linear wo;
  private final int heads;

  public CausalSelfAttention(int dModel, int heads, Rng rng) {
    if (dModel % heads != 0) {
      throw new IllegalArgumentException("attention: d_model " + dModel + " is not divisible by " + heads + " heads");
    }
    this.heads = heads;
    this.wq = child("wq", new Linear(dModel, dModel, rng.fork("wq")));
    this.wk = child("wk", new Linear(dModel, dModel, rng.fork("wk")));
    this.wv = child("wv", new Linear(dModel, dModel, rng.fork("wv")));
    this.wo = child("wo", new Linear(dModel, dModel, rng.fork("wo")));
  }

  @Override
  protected Tensor compute(Tensor x) {
    int b = x.size(0);
    int t = x.size(1);
    int c = x.size(2);
    Tensor q = split(wq.forward(x), b, t, c); // (B, H, T, D)
    Tensor k = split(wk.forward(x), b, t, c);
    Tensor v = split(wv.forward(x), b, t, c);
    Tensor y = Functional.attention(q, k, v, true);            // (B, H, T, D)
    return wo.forward(y.permute(0, 2, 1, 3).reshape(b, t, c)); // (B, T, C)
  }

  private Tensor split(Tensor x, int b, int t, int c) {
    return x.reshape(b, t, heads, c / heads).permute(0, 2, 1, 3); // (B, H, T, D)
  }

  public Linear output() {
    return wo;
  }
}
