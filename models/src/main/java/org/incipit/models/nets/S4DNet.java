package org.incipit.models.nets;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.init.S4DInit;
import org.incipit.nn.Layer;
import org.incipit.nn.ModuleList;
import org.incipit.nn.layers.Dropout;
import org.incipit.nn.layers.LayerNorm;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.ssm.S4D;
import org.incipit.nn.ssm.S4DKernel;
import org.incipit.tensor.Rng;

/**
 * An S4D sequence model after state-spaces/s4 {@code example.py} (Gu, Gupta, Goel, Ré 2022,
 * arXiv:2206.11893): a linear encoder, a stack of {@link S4D} blocks each with dropout, a
 * residual connection and a post-norm LayerNorm, then a linear decoder — on the mean over time
 * (a sequence classifier) or at every step (a sequence-regression head).
 * <pre>
 * x (B, L, d_in) → encoder → h (B, L, H)
 * per block:  z = S4D(hᵀ)ᵀ (B, L, H);  h = LayerNorm(h + dropout(z))
 * MEAN_POOL:  mean over L → (B, H) → decoder → (B, d_out)
 * PER_STEP:   decoder at every step → (B, L, d_out)
 * </pre>
 * Parameters: {@code encoder}, {@code blocks.i} (an S4D block: {@code D}, {@code kernel.*},
 * {@code output.*}), {@code norms.i}, {@code decoder}; PyTorch defaults for the linear layers and
 * norms, {@code init} for the S4D parameters.
 */
public final class S4DNet extends Layer {
  /** What the decoder reads. */
  public enum Head { MEAN_POOL, PER_STEP }

  /** Sizes: input features, model width H, state size N, number of blocks, outputs, dropout. */
  public record Config(int dInput, int dModel, int dState, int layers, int dOutput, double dropout, Head head) {}

  private final Config config;
  private final Linear encoder;
  private final ModuleList<S4D> blocks;
  private final ModuleList<LayerNorm> norms;
  private final ModuleList<Dropout> dropouts;
  private final Linear decoder;

  public S4DNet(Config c, S4DInit init, S4DKernel.Discretization discretization, Rng rng) {
    if (c.layers() < 1) {
      throw new IllegalArgumentException("s4d net: needs at least one block, got " + c.layers());
    }
    this.config = c;
    this.encoder = child("encoder", new Linear(c.dInput(), c.dModel(), rng.fork("encoder")));
    List<S4D> b = new ArrayList<>();
    List<LayerNorm> n = new ArrayList<>();
    List<Dropout> d = new ArrayList<>();
    for (int i = 0; i < c.layers(); i++) {
      String name = String.valueOf(i);
      b.add(new S4D(c.dModel(), c.dState(), init, discretization, c.dropout(), rng.fork("blocks").fork(name)));
      n.add(new LayerNorm(c.dModel(), rng.fork("norms").fork(name)));
      d.add(new Dropout(c.dropout(), rng.fork("dropouts").fork(name)));
    }
    this.blocks = child("blocks", new ModuleList<>(b));
    this.norms = child("norms", new ModuleList<>(n));
    this.dropouts = child("dropouts", new ModuleList<>(d));
    this.decoder = child("decoder", new Linear(c.dModel(), c.dOutput(), rng.fork("decoder")));
  }

  /** S4D-Lin with ZOH. */
  public S4DNet(Config c, Rng rng) {
    this(c, S4DInit.lin(), S4DKernel.Discretization.ZOH, rng);
  }

  @Override
  protected Tensor compute(Tensor x) {
    if (x.rank() != 3 || x.size(2) != config.dInput()) {
      throw new IllegalArgumentException("s4d net: needs input (B, L, " + config.dInput() + "), got " + x.shape());
    }
    Tensor h = encoder.forward(x);                          // (B, L, H)
    for (int i = 0; i < config.layers(); i++) {
      Tensor z = blocks.get(i).forward(h.transpose(1, 2));  // (B, H, L)
      z = dropouts.get(i).forward(z.transpose(1, 2));       // (B, L, H)
      h = norms.get(i).forward(h.add(z));                   // (B, L, H)
    }
    if (config.head() == Head.MEAN_POOL) {
      h = h.mean(1);                                        // (B, H)
    }
    return decoder.forward(h);                              // (B, d_out) or (B, L, d_out)
  }

  public Config config() {
    return config;
  }
}
