package org.incipit.models.nets;

import org.incipit.autograd.Tensor;
import org.incipit.models.data.Digits;
import org.incipit.nn.Layer;
import org.incipit.nn.ModuleList;
import org.incipit.nn.Sequential;
import org.incipit.nn.kan.KatBlock;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.LayerNorm;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;

/**
 * A small MLP-Mixer for the 8×8 digits (Tolstikhin et al. 2021, "MLP-Mixer: An all-MLP
 * Architecture for Vision", arXiv:2105.01601) whose channel MLP is either KAT's KAN block
 * ({@link KatBlock}: GR-KAN → fc1 → GR-KAN → fc2; Yang &amp; Wang 2024, arXiv:2409.10594) or, for
 * comparison, the usual GELU MLP. Everything else is shared, so the two differ only there.
 * <pre>
 * pixels (N, 64) → p×p patches (N, T, p²), T = (8/p)² → embed (N, T, C)
 * block × depth:  x ← x + token-MLP(LN(x)ᵀ)ᵀ     (Linear T → S, GELU, Linear S → T, across tokens)
 *                 x ← x + channel-MLP(LN(x))      (KatBlock C → H → C, or Linear C → H, GELU, Linear H → C)
 * LN → mean over tokens (N, C) → head (N, classes)
 * </pre>
 * Linears outside the KAT blocks have PyTorch's default initialisation.
 *
 * <pre>{@code
 * KatMixer kat = new KatMixer(KatMixer.Config.small(KatMixer.ChannelMlp.KAT), rng);
 * Tensor logits = kat.forward(pixels);   // (N, 64) → (N, 10)
 * }</pre>
 */
public final class KatMixer extends Layer {
  /** The channel MLP of every block. */
  public enum ChannelMlp {
    /** KAT's KAN block (group-rational activations). */
    KAT,
    /** Linear → GELU → Linear. */
    GELU
  }

  /**
   * The architecture.
   *
   * @param patch side p of a square patch (divides 8)
   * @param dim channels C of a token
   * @param depth number of mixer blocks
   * @param tokenHidden hidden width S of the token MLP
   * @param channelHidden hidden width H of the channel MLP
   * @param classes number of classes
   * @param channelMlp KAT or GELU
   * @param kat options of the KAT blocks (groups must divide C and H)
   */
  public record Config(int patch, int dim, int depth, int tokenHidden, int channelHidden, int classes,
                       ChannelMlp channelMlp, KatBlock.Options kat) {
    public Config {
      if (patch < 1 || Digits.SIDE % patch != 0 || dim < 1 || depth < 1) {
        throw new IllegalArgumentException("kat mixer: the patch side must divide " + Digits.SIDE
            + " and dim, depth be positive; got patch " + patch + ", dim " + dim + ", depth " + depth);
      }
    }

    /** 2×2 patches (16 tokens), C = 32, two blocks, S = 32, H = 64, 10 classes, 8 groups. */
    public static Config small(ChannelMlp channelMlp) {
      return new Config(2, 32, 2, 32, 64, Digits.CLASSES, channelMlp, KatBlock.Options.defaults());
    }

    /** Tokens per image, (8/p)². */
    public int tokens() {
      return (Digits.SIDE / patch) * (Digits.SIDE / patch);
    }
  }

  /** One mixer block: token mixing, then channel mixing, each pre-norm and residual. */
  static final class MixerBlock extends Layer {
    private final LayerNorm norm1;
    private final Sequential tokenMlp;
    private final LayerNorm norm2;
    private final Layer channelMlp;

    MixerBlock(Config c, Rng rng) {
      this.norm1 = child("norm1", new LayerNorm(c.dim(), rng.fork("norm1")));
      Rng t = rng.fork("token_mlp");
      this.tokenMlp = child("token_mlp", new Sequential(new Linear(c.tokens(), c.tokenHidden(), t.fork("0")),
          Activation.gelu(), new Linear(c.tokenHidden(), c.tokens(), t.fork("2"))));
      this.norm2 = child("norm2", new LayerNorm(c.dim(), rng.fork("norm2")));
      Rng m = rng.fork("channel_mlp");
      this.channelMlp = child("channel_mlp", c.channelMlp() == ChannelMlp.KAT
          ? new KatBlock(c.dim(), c.channelHidden(), c.dim(), c.kat(), m)
          : new Sequential(new Linear(c.dim(), c.channelHidden(), m.fork("0")), Activation.gelu(),
              new Linear(c.channelHidden(), c.dim(), m.fork("2"))));
    }

    @Override
    protected Tensor compute(Tensor x) {
      Tensor mixed = tokenMlp.forward(norm1.forward(x).transpose(1, 2)).transpose(1, 2); // (N, T, C)
      Tensor h = x.add(mixed);
      return h.add(channelMlp.forward(norm2.forward(h)));                              // (N, T, C)
    }
  }

  private final Config config;
  private final Linear embed;
  private final ModuleList<MixerBlock> blocks;
  private final LayerNorm norm;
  private final Linear head;

  public KatMixer(Config config, Rng rng) {
    this.config = config;
    this.embed = child("embed", new Linear(config.patch() * config.patch(), config.dim(), rng.fork("embed")));
    Rng b = rng.fork("blocks");
    MixerBlock[] list = new MixerBlock[config.depth()];
    for (int i = 0; i < list.length; i++) {
      list[i] = new MixerBlock(config, b.fork(String.valueOf(i)));
    }
    this.blocks = child("blocks", new ModuleList<>(java.util.List.of(list)));
    this.norm = child("norm", new LayerNorm(config.dim(), rng.fork("norm")));
    this.head = child("head", new Linear(config.dim(), config.classes(), rng.fork("head")));
  }

  @Override
  protected Tensor compute(Tensor pixels) {
    if (pixels.rank() != 2 || pixels.size(1) != Digits.PIXELS) {
      throw new IllegalArgumentException("kat mixer: expected pixels (N, " + Digits.PIXELS + "), got " + pixels.shape());
    }
    Tensor h = embed.forward(patches(pixels, config.patch())); // (N, T, C)
    for (MixerBlock block : blocks.items()) {
      h = block.forward(h);                                     // (N, T, C)
    }
    return head.forward(norm.forward(h).mean(1));               // (N, classes)
  }

  /** Pixels (N, 64) row-major to non-overlapping p×p patches (N, T, p²), patches in row-major order. */
  public static Tensor patches(Tensor pixels, int p) {
    int n = pixels.size(0);
    int g = Digits.SIDE / p;
    return pixels.reshape(n, g, p, g, p)  // (N, row block, row in patch, column block, column in patch)
        .permute(0, 1, 3, 2, 4)           // (N, row block, column block, p, p)
        .reshape(n, g * g, p * p);        // (N, T, p²)
  }

  public Config config() {
    return config;
  }
}
