package org.incipit.nn.layers;

import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.tensor.Rng;

/**
 * A pre-norm transformer block (GPT-2 / nanoGPT):
 * <pre>x ← x + attn(LN₁(x)),   x ← x + proj(GELU(fc(LN₂(x))))</pre>
 * with a 4× wide MLP. The residual projections are {@code attn.wo} and {@code mlp.proj} (the
 * targets of GPT-2's 1/√(2·n_layer) scaled init). Without LayerNorm ({@code layerNorm = false}) the
 * block is {@code x ← x + attn(x), x ← x + proj(GELU(fc(x)))}, the normalization-free block that
 * T-Fixup initializes (Huang et al. 2020; {@code init/TFixup}).
 */
public final class TransformerBlock extends Layer implements org.incipit.nn.ResidualBlock {
  private final LayerNorm ln1;
  private final CausalSelfAttention attn;
  private final LayerNorm ln2;
  private final Mlp mlp;

  public TransformerBlock(int dModel, int heads, Rng rng) {
    this(dModel, heads, true, rng);
  }

  /** A block with ({@code layerNorm}) or without its two LayerNorms (then it has no ln1, ln2 parameters). */
  public TransformerBlock(int dModel, int heads, boolean layerNorm, Rng rng) {
    this.ln1 = layerNorm ? child("ln1", new LayerNorm(dModel, rng.fork("ln1"))) : null;
    this.attn = child("attn", new CausalSelfAttention(dModel, heads, rng.fork("attn")));
    this.ln2 = layerNorm ? child("ln2", new LayerNorm(dModel, rng.fork("ln2"))) : null;
    this.mlp = child("mlp", new Mlp(dModel, rng.fork("mlp")));
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = x.add(attn.forward(ln1 == null ? x : ln1.forward(x))); // (B, T, C)
    return h.add(mlp.forward(ln2 == null ? h : ln2.forward(h)));       // (B, T, C)
  }

  @Override
  public java.util.List<String> residualOutputs() {
    return java.util.List.of("attn.wo.weight", "mlp.proj.weight");
  }

  /** fc: C → 4C, GELU, proj: 4C → C. */
  public static final class Mlp extends Layer {
    private final Linear fc;
    private final Linear proj;

    Mlp(int dModel, Rng rng) {
      this.fc = child("fc", new Linear(dModel, 4 * dModel, rng.fork("fc")));
      this.proj = child("proj", new Linear(4 * dModel, dModel, rng.fork("proj")));
    }

    @Override
    protected Tensor compute(Tensor x) {
      return proj.forward(Functional.gelu(fc.forward(x)));
    }
  }
}
