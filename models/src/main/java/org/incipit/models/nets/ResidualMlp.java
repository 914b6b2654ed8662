package org.incipit.models.nets;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.init.Fans;
import org.incipit.init.Fixup;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.ModuleList;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A deep residual MLP without any normalization, in the shape of Fixup's BasicBlock with Linear
 * layers instead of convolutions (Zhang, Dauphin, Ma 2019, arXiv:1901.09321, Figure 1):
 * <pre>
 * h₀ = ReLU(stem(x))                                   (N, w)
 * branch_l(h) = s_l · W₂(ReLU(W₁(h + a₁) + b₁) + a₂) + b₂   scalars a₁, b₁, a₂, b₂, s_l
 * h_{l+1} = h_l + branch_l(h_l)                        l = 0 … L−1
 * logits = head(h_L + a_out)                            (N, classes)
 * </pre>
 * The layers W₁, W₂ have no bias of their own; the scalar biases and the multiplier exist under
 * every {@link Init}, so the three inits differ only in their values:
 * <ul>
 *   <li>{@link Init#FIXUP}: W₁ ~ He(fan_out)·L^(−1/2) (m = 2), W₂ = 0, head weight and bias 0;
 *       {@link Fixup}.</li>
 *   <li>{@link Init#HE}: every weight He normal N(0, 2/fan_in), biases 0 — the "standard
 *       initialization" Fixup is compared with.</li>
 *   <li>{@link Init#PYTORCH_DEFAULT}: PyTorch's Linear defaults (Var = 1/(3·fan_in)).</li>
 * </ul>
 * The stem is He (or the PyTorch default) under every init, as Fixup leaves it untouched. Choice
 * made here: no ReLU after the addition (the paper's BasicBlock has one); the branch is then the
 * transformer-style x + F(x) to which the paper's analysis (its §2–3) applies directly.
 *
 * <pre>{@code
 * ResidualMlp net = new ResidualMlp(64, 64, 32, 10, ResidualMlp.Init.FIXUP, rng);
 * Tensor logits = net.forward(x);   // (N, 64) → (N, 10)
 * }</pre>
 */
public final class ResidualMlp extends Layer {
  /** The initialization of the whole network. */
  public enum Init { FIXUP, HE, PYTORCH_DEFAULT }

  private final Linear stem;
  private final ModuleList<Block> blocks;
  private final Parameter outBias;
  private final Linear head;

  /** {@code in} features, {@code width} hidden units, {@code depth} = L residual branches, {@code classes} outputs. */
  public ResidualMlp(int in, int width, int depth, int classes, Init init, Rng rng) {
    if (in < 1 || width < 1 || depth < 1 || classes < 1) {
      throw new IllegalArgumentException("residual mlp: in, width, depth and classes must be ≥ 1, got "
          + in + ", " + width + ", " + depth + ", " + classes);
    }
    boolean torch = init == Init.PYTORCH_DEFAULT;
    Initializer he = Initializers.heNormal();
    Initializer bias = torch ? Initializers.pytorchDefaultBias() : Initializers.zeros();
    this.stem = child("stem", new Linear(in, width, true, torch ? Initializers.pytorchDefaultWeight() : he, bias,
        rng.fork("stem")));
    List<Block> list = new ArrayList<>();
    for (int l = 0; l < depth; l++) {
      Initializer w1 = switch (init) {
        case FIXUP -> Fixup.branchWeight(depth, 2);
        case HE -> he;
        case PYTORCH_DEFAULT -> Initializers.pytorchDefaultWeight();
      };
      Initializer w2 = init == Init.FIXUP ? Fixup.lastBranchWeight() : w1;
      list.add(new Block(width, w1, w2, rng.fork("blocks").fork(String.valueOf(l))));
    }
    this.blocks = child("blocks", new ModuleList<>(list));
    this.outBias = param("bias_out", Shape.scalar(), Fixup.scalarBias(), new Fans(1, 1), rng);
    Initializer headWeight = switch (init) {
      case FIXUP -> Fixup.classifier();
      case HE -> he;
      case PYTORCH_DEFAULT -> Initializers.pytorchDefaultWeight();
    };
    this.head = child("head", new Linear(width, classes, true, headWeight,
        init == Init.FIXUP ? Fixup.classifier() : bias, rng.fork("head")));
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = stem.forward(x).relu();          // (N, w)
    for (Block b : blocks.items()) {
      h = b.forward(h);                         // (N, w)
    }
    return head.forward(h.add(outBias.value())); // (N, classes)
  }

  /** The residual blocks, in order (each is a {@link Layer}, so hooks see the residual stream). */
  public List<Block> blocks() {
    return blocks.items();
  }

  /** One residual block h + s·W₂(ReLU(W₁(h + a₁) + b₁) + a₂) + b₂ with scalar a₁, b₁, a₂, b₂, s. */
  public static final class Block extends Layer {
    private final Parameter bias1a;
    private final Parameter bias1b;
    private final Parameter bias2a;
    private final Parameter bias2b;
    private final Parameter scale;
    private final Linear fc1;
    private final Linear fc2;

    Block(int width, Initializer w1, Initializer w2, Rng rng) {
      Fans one = new Fans(1, 1);
      this.bias1a = param("bias1a", Shape.scalar(), Fixup.scalarBias(), one, rng);
      this.fc1 = child("fc1", new Linear(width, width, false, w1, null, rng.fork("fc1")));
      this.bias1b = param("bias1b", Shape.scalar(), Fixup.scalarBias(), one, rng);
      this.bias2a = param("bias2a", Shape.scalar(), Fixup.scalarBias(), one, rng);
      this.fc2 = child("fc2", new Linear(width, width, false, w2, null, rng.fork("fc2")));
      this.scale = param("scale", Shape.scalar(), Fixup.multiplier(), one, rng);
      this.bias2b = param("bias2b", Shape.scalar(), Fixup.scalarBias(), one, rng);
    }

    @Override
    protected Tensor compute(Tensor h) {
      Tensor u = fc1.forward(h.add(bias1a.value())).add(bias1b.value()).relu();  // (N, w)
      Tensor f = fc2.forward(u.add(bias2a.value())).mul(scale.value());          // (N, w)
      return h.add(f.add(bias2b.value()));                                        // (N, w)
    }

    public Linear fc1() {
      return fc1;
    }

    public Linear fc2() {
      return fc2;
    }
  }
}
