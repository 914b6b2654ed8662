package org.incipit.models.nets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.nn.ModuleList;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.LayerNorm;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;

/**
 * A residual MLP whose blocks can be removed: the unit of layer pruning ("When Layers Play the
 * Lottery", Jordao et al. 2023). PyTorch's default initialization.
 * <pre>
 * h₀ = stem(x)                                    (N, in) → (N, w)
 * h_{i+1} = h_i + fc2_i(relu(fc1_i(LN_i(h_i))))   pre-norm block, w → w → w
 * logits = head(relu(LN(h_B)))                    (N, w) → (N, classes)
 * </pre>
 * {@link #withoutBlocks} builds the shallower network that keeps every other weight as it is (the
 * identity shortcut keeps shapes valid, so any block may go).
 */
public final class PreNormResidualMlp extends Layer {
  /** One pre-norm residual block. */
  public static final class Block extends Layer {
    private final LayerNorm norm;
    private final Linear fc1;
    private final Linear fc2;

    Block(int width, Rng rng) {
      this.norm = child("norm", new LayerNorm(width, rng.fork("norm")));
      this.fc1 = child("fc1", new Linear(width, width, rng.fork("fc1")));
      this.fc2 = child("fc2", new Linear(width, width, rng.fork("fc2")));
    }

    @Override
    protected Tensor compute(Tensor h) {
      return h.add(fc2.forward(fc1.forward(norm.forward(h)).relu())); // (N, w)
    }
  }

  private final int in;
  private final int width;
  private final int classes;
  private final Linear stem;
  private final ModuleList<Block> blocks;
  private final LayerNorm norm;
  private final Linear head;

  public PreNormResidualMlp(int in, int width, int depth, int classes, Rng rng) {
    if (in < 1 || width < 1 || depth < 0 || classes < 1) {
      throw new IllegalArgumentException("PreNormResidualMlp: needs in, width, classes ≥ 1 and depth ≥ 0, got " + in + ", "
          + width + ", " + depth + ", " + classes);
    }
    this.in = in;
    this.width = width;
    this.classes = classes;
    this.stem = child("stem", new Linear(in, width, rng.fork("stem")));
    List<Block> b = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      b.add(new Block(width, rng.fork("blocks").fork(i)));
    }
    this.blocks = child("blocks", new ModuleList<>(b));
    this.norm = child("norm", new LayerNorm(width, rng.fork("norm")));
    this.head = child("head", new Linear(width, classes, rng.fork("head")));
  }

  public int depth() {
    return blocks.size();
  }

  /** The path prefix of block {@code i}'s parameters ({@code "blocks.i."}). */
  public static String blockPrefix(int i) {
    return "blocks." + i + ".";
  }

  /**
   * The network without the blocks {@code drop}: the kept blocks, in order, and the stem, final norm
   * and head hold copies of this network's current values.
   */
  public PreNormResidualMlp withoutBlocks(int... drop) {
    TreeSet<Integer> gone = new TreeSet<>();
    for (int i : drop) {
      if (i < 0 || i >= depth() || !gone.add(i)) {
        throw new IllegalArgumentException("PreNormResidualMlp.withoutBlocks: block " + i + " is not one of 0.." + (depth() - 1)
            + " or is listed twice (" + Arrays.toString(drop) + ")");
      }
    }
    PreNormResidualMlp out = new PreNormResidualMlp(in, width, depth() - gone.size(), classes, Rng.seeded(0));
    Map<String, Parameter> mine = namedParameters();
    Map<String, Parameter> theirs = out.namedParameters();
    int j = 0;
    for (int i = 0; i < depth(); i++) {
      if (!gone.contains(i)) {
        copy(mine, blockPrefix(i), theirs, blockPrefix(j++));
      }
    }
    for (String prefix : List.of("stem.", "norm.", "head.")) {
      copy(mine, prefix, theirs, prefix);
    }
    out.to(stem.weight().value().dtype(), stem.weight().value().device());
    return out;
  }

  private static void copy(Map<String, Parameter> from, String fromPrefix, Map<String, Parameter> to, String toPrefix) {
    from.forEach((path, p) -> {
      if (path.startsWith(fromPrefix)) {
        to.get(toPrefix + path.substring(fromPrefix.length())).assign(p.value());
      }
    });
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = stem.forward(x); // (N, w)
    for (Block b : blocks.items()) {
      h = b.forward(h);         // (N, w)
    }
    return head.forward(norm.forward(h).relu()); // (N, classes)
  }
}
