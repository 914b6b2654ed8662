package org.incipit.models.nets;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.init.TFixup;
import org.incipit.nn.Module;
import org.incipit.nn.ModuleList;
import org.incipit.nn.layers.Embedding;
import org.incipit.nn.layers.LayerNorm;
import org.incipit.nn.layers.TransformerBlock;
import org.incipit.tensor.Rng;

/**
 * A character-level GPT in the style of nanoGPT (Karpathy): token and position embeddings, pre-norm
 * transformer blocks, a final LayerNorm and a head tied to the token embedding.
 * <pre>idx (B, T) → wte + wpe (B, T, C) → blocks → ln_f → logits = h · wteᵀ (B, T, V)</pre>
 *
 * <p>{@link Init#GPT2} follows GPT-2 / nanoGPT's {@code _init_weights}: every Linear and Embedding
 * weight N(0, 0.02²), biases 0, then the residual projections ({@code attn.wo}, {@code mlp.proj})
 * N(0, (0.02/√(2·n_layer))²) (Radford et al. 2019, "Language Models are Unsupervised Multitask
 * Learners"). {@link Init#NORMAL_002} is the same without the residual scaling;
 * {@link Init#PYTORCH_DEFAULT} keeps the layers' PyTorch defaults.
 *
 * <p>{@link Init#T_FIXUP} is T-Fixup for a decoder of M = n_layer blocks (Huang, Perez, Ba, Volkovs
 * 2020, ICML; {@link TFixup}), meant for the model built without LayerNorm
 * ({@code layerNorm = false}: no ln1, ln2 in the blocks and no ln_f): every matrix Xavier uniform,
 * then {@code attn.wv}, {@code attn.wo}, {@code mlp.fc} and {@code mlp.proj} × (9M)^(−1/4); the
 * token and position tables N(0, d^(−1/2)) × (9M)^(−1/4); biases 0; {@code attn.wq}, {@code attn.wk}
 * plain Xavier. Choices where the paper is silent: the learned position table is treated as an
 * input embedding (fairseq's are sinusoidal); the embeddings are not multiplied by √d in the
 * forward (fairseq does, nanoGPT does not), and the head stays tied to the scaled token table.
 * Held by {@code TFixupCharGptTest}.
 */
public final class CharGpt extends Module {
  /** Model size. */
  public record Config(int vocab, int context, int layers, int dModel, int heads) {}

  /** Initialization scheme of the whole model. */
  public enum Init { PYTORCH_DEFAULT, NORMAL_002, GPT2, T_FIXUP }

  private final Config config;
  private final Embedding wte;
  private final Embedding wpe;
  private final ModuleList<TransformerBlock> blocks;
  private final LayerNorm lnF;

  public CharGpt(Config c, Init init, Rng rng) {
    this(c, init, true, rng);
  }

  /** With ({@code layerNorm}) or without every LayerNorm (blocks and ln_f). */
  public CharGpt(Config c, Init init, boolean layerNorm, Rng rng) {
    this.config = c;
    this.wte = child("wte", new Embedding(c.vocab(), c.dModel(), rng.fork("wte")));
    this.wpe = child("wpe", new Embedding(c.context(), c.dModel(), rng.fork("wpe")));
    List<TransformerBlock> list = new ArrayList<>();
    for (int i = 0; i < c.layers(); i++) {
      list.add(new TransformerBlock(c.dModel(), c.heads(), layerNorm, rng.fork("blocks").fork(String.valueOf(i))));
    }
    this.blocks = child("blocks", new ModuleList<>(list));
    this.lnF = layerNorm ? child("ln_f", new LayerNorm(c.dModel(), rng.fork("ln_f"))) : null;
    if (init == Init.T_FIXUP) {
      reinitialize(rng, (path, p) -> tFixup(path, c));
    } else if (init != Init.PYTORCH_DEFAULT) {
      double residualStd = init == Init.GPT2 ? 0.02 / Math.sqrt(2.0 * c.layers()) : 0.02;
      reinitialize(rng, (path, p) -> {
        if (path.startsWith("ln") || path.contains(".ln")) {
          return null; // LayerNorm keeps γ = 1, β = 0
        }
        if (path.endsWith(".bias")) {
          return Initializers.zeros();
        }
        boolean residual = path.endsWith("attn.wo.weight") || path.endsWith("mlp.proj.weight");
        return Initializers.normal(0, residual ? residualStd : 0.02);
      });
    }
  }

  /** T-Fixup's initializer of the parameter at {@code path} (null: LayerNorm, kept). */
  private static Initializer tFixup(String path, Config c) {
    double s = TFixup.decoderScale(c.layers());
    if (path.startsWith("ln") || path.contains(".ln")) {
      return null;
    }
    if (path.endsWith(".bias")) {
      return Initializers.zeros();
    }
    if (path.equals("wte.weight") || path.equals("wpe.weight")) {
      return TFixup.embedding(c.dModel(), s);
    }
    boolean scaled = path.endsWith("attn.wv.weight") || path.endsWith("attn.wo.weight")
        || path.endsWith("mlp.fc.weight") || path.endsWith("mlp.proj.weight");
    return scaled ? TFixup.xavier().scaled(s) : TFixup.xavier();
  }

  /** Logits (B, T, V) for token indices (B, T). */
  public Tensor forward(Tensor idx) {
    return hidden(idx).matmul(wte.weight().value().transpose(0, 1)); // (B, T, V), tied head
  }

  /** The final hidden states ln_f(…) (B, T, C) for token indices (B, T) (no ln_f without LayerNorm): what the tied head reads. */
  public Tensor hidden(Tensor idx) {
    return hiddenOfEmbeddings(wte.forward(idx)); // (B, T, C) token rows in
  }

  /**
   * The final-norm hidden states (B, T, C) for a sequence given as input-embedding rows (B, T, C)
   * instead of token ids (the position embeddings are added here): lets a caller feed rows that are
   * not in the table, such as a new token's candidate embedding.
   */
  public Tensor hiddenOfEmbeddings(Tensor x) {
    int t = x.size(1);
    if (t > config.context()) {
      throw new IllegalArgumentException("char-gpt: sequence length " + t + " exceeds the context " + config.context());
    }
    Tensor pos = Tensors.arange(t).to(x.device());
    Tensor h = x.add(wpe.forward(pos));                 // (B, T, C)
    for (TransformerBlock b : blocks.items()) {
      h = b.forward(h);                                 // (B, T, C)
    }
    return lnF == null ? h : lnF.forward(h);           // (B, T, C); T-Fixup models have no final norm
  }

  /** Mean cross-entropy of next-token prediction. */
  public Tensor loss(Tensor idx, Tensor targets) {
    Tensor logits = forward(idx);                       // (B, T, V)
    return Losses.crossEntropy(logits.reshape(-1, config.vocab()), targets.reshape(-1));
  }

  /** Samples {@code count} tokens after {@code prompt} (1-D), with temperature; deterministic for an Rng. */
  public long[] generate(long[] prompt, int count, double temperature, Rng rng) {
    List<Long> seq = new ArrayList<>();
    for (long p : prompt) {
      seq.add(p);
    }
    try (NoGrad ignored = NoGrad.enter()) {
      for (int i = 0; i < count; i++) {
        int start = Math.max(0, seq.size() - config.context());
        long[] window = seq.subList(start, seq.size()).stream().mapToLong(Long::longValue).toArray();
        Tensor logits = forward(Tensors.ofLongs(window, 1, window.length)); // (1, T, V)
        Tensor last = logits.select(1, window.length - 1).reshape(config.vocab());
        double[] p = Functional.softmax(last.div(temperature), 0).toDoubles();
        double u = rng.fork(i).uniform(1)[0];
        int next = p.length - 1;
        double acc = 0;
        for (int v = 0; v < p.length; v++) {
          acc += p[v];
          if (u < acc) {
            next = v;
            break;
          }
        }
        seq.add((long) next);
      }
    }
    return seq.subList(prompt.length, seq.size()).stream().mapToLong(Long::longValue).toArray();
  }

  public Config config() {
    return config;
  }

  public List<TransformerBlock> blocks() {
    return blocks.items();
  }
}
