package org.incipit.models.inspect;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.FanMode;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.init.VarianceScaling;
import org.incipit.models.data.Digits;
import org.incipit.models.data.Karate;
import org.incipit.models.data.LabeledData;
import org.incipit.models.data.NodeData;
import org.incipit.models.data.SequenceTasks;
import org.incipit.models.data.TextCorpus;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.nets.Cnn;
import org.incipit.models.nets.Gnn;
import org.incipit.models.nets.KatMixer;
import org.incipit.models.nets.Mlp;
import org.incipit.models.nets.S4DNet;
import org.incipit.models.nets.SpikingCnn;
import org.incipit.models.nets.SpikingMlp;
import org.incipit.nn.Module;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.snn.Lif;
import org.incipit.tensor.Rng;

/**
 * Every model of {@code models/nets} with a batch of its own data and its loss, built by name with
 * a width, a depth and an init scheme: what {@code incipit inspect} and {@code incipit lint} run on.
 *
 * <p>An init scheme other than {@code default} replaces the generic weight init of every layer
 * (each parameter whose recorded initializer is a variance-scaling one, i.e. PyTorch's layer
 * default) and sets those layers' PyTorch-default biases to zero; special inits — S4D's kernel,
 * KAN splines and rationals, LIF constants, LayerNorm, embeddings — are kept.
 */
public final class Zoo {
  /** The model names, in the order {@code --help} lists them. */
  public static final List<String> MODELS = List.of("mlp", "cnn", "gpt", "gnn", "kat", "s4d", "spiking-mlp",
      "spiking-cnn");
  /** The init schemes every model takes; the char-GPT also takes {@code gpt2} and {@code normal}. */
  public static final List<String> INITS = List.of("default", "he", "xavier", "lecun", "orthogonal", "tanh-gain");

  /** A built model, and its loss on a fixed batch of its data (each call runs a forward pass). */
  public record Built(String name, Module module, Supplier<Tensor> loss) {}

  private Zoo() {}

  /** Whether {@code model} has a width to vary. */
  public static boolean hasWidth(String model) {
    return !model.equals("cnn") && !model.equals("spiking-cnn");
  }

  /** Builds {@code model}; width and depth ≤ 0 mean the model's defaults. */
  public static Built build(String model, String init, int width, int depth, Rng rng) {
    String m = model.toLowerCase(Locale.ROOT);
    if (width > 0 && !hasWidth(m)) {
      throw new IllegalArgumentException(m + " has fixed widths; --width applies to " + MODELS.stream()
          .filter(Zoo::hasWidth).toList());
    }
    Built b = switch (m) {
      case "mlp" -> classifier(m, new Mlp(widths(64, or(width, 128), or(depth, 3), 10), Activation.relu(),
          Initializers.pytorchDefaultWeight(), Initializers.pytorchDefaultBias(), rng.fork("model")), false, rng);
      case "cnn" -> classifier(m, new Cnn(1, 10, rng.fork("model")), true, rng);
      case "spiking-mlp" -> classifier(m, new SpikingMlp(widths(64, or(width, 128), or(depth, 2), 10), 4,
          Lif.Options.defaults(), rng.fork("model")), false, rng);
      case "spiking-cnn" -> classifier(m, new SpikingCnn(1, 10, 4, Lif.Options.defaults(), rng.fork("model")), true, rng);
      case "kat" -> {
        int w = or(width, 32);
        var c = KatMixer.Config.small(KatMixer.ChannelMlp.KAT);
        yield classifier(m, new KatMixer(new KatMixer.Config(c.patch(), w, or(depth, c.depth()), c.tokenHidden(), 2 * w,
            c.classes(), c.channelMlp(), c.kat()), rng.fork("model")), false, rng);
      }
      case "gpt" -> gpt(init, or(width, 64), or(depth, 2), rng);
      case "gnn" -> gnn(or(width, 32), or(depth, 4), rng);
      case "s4d" -> {
        S4DNet net = new S4DNet(new S4DNet.Config(1, or(width, 32), 32, or(depth, 2), 1, 0, S4DNet.Head.PER_STEP),
            rng.fork("model"));
        SequenceTasks.Batch batch = SequenceTasks.delay(8, 64, 8, rng.fork("data"));
        yield new Built(m, net, () -> Losses.mseLoss(net.forward(batch.x()), batch.y(), org.incipit.autograd.Reduction.MEAN));
      }
      default -> throw new IllegalArgumentException("unknown model '" + model + "' (known: " + MODELS + ")");
    };
    if (!(m.equals("gpt") && (init.equals("gpt2") || init.equals("normal")))) {
      apply(b.module(), init, rng.fork("init"));
    }
    return b;
  }

  /** The weight initializer a scheme name stands for. */
  public static Initializer weightInit(String init) {
    return switch (init.toLowerCase(Locale.ROOT)) {
      case "he" -> Initializers.heNormal();
      case "xavier" -> Initializers.xavierNormal(1);
      case "lecun" -> Initializers.lecunNormal();
      case "orthogonal" -> Initializers.orthogonal(1).flattened();
      case "tanh-gain" -> Initializers.kaimingNormal(0, FanMode.IN, "tanh");
      default -> throw new IllegalArgumentException("unknown init '" + init + "' (known: " + INITS
          + "; gpt also takes gpt2, normal)");
    };
  }

  private static void apply(Module model, String init, Rng rng) {
    if (init.equalsIgnoreCase("default")) {
      return;
    }
    Initializer w = weightInit(init);
    model.reinitialize(rng, (path, p) -> p.initializer() instanceof VarianceScaling && p.shape().rank() >= 2 ? w
        : p.initializer() instanceof Initializers.PyTorchBias ? Initializers.zeros() : null);
  }

  private static Built classifier(String name, org.incipit.nn.Layer net, boolean images, Rng rng) {
    LabeledData digits = Digits.load();
    int[] rows = java.util.Arrays.copyOf(rng.fork("batch").permutation(digits.size()), 128);
    LabeledData batch = digits.subset(rows);
    Tensor x = images ? Digits.images(batch.features()) : batch.features(); // (128, 64) or (128, 1, 8, 8)
    return new Built(name, net, () -> Losses.crossEntropy(net.forward(x), batch.labels()));
  }

  private static Built gpt(String init, int width, int depth, Rng rng) {
    TextCorpus corpus = TextCorpus.mobyDick();
    CharGpt.Init gi = init.equals("gpt2") ? CharGpt.Init.GPT2 : init.equals("normal") ? CharGpt.Init.NORMAL_002
        : CharGpt.Init.PYTORCH_DEFAULT;
    CharGpt gpt = new CharGpt(new CharGpt.Config(corpus.vocabSize(), 32, depth, width, 4), gi, rng.fork("model"));
    TextCorpus.Batch batch = corpus.batch(true, 8, 32, rng.fork("data"));
    return new Built("gpt", gpt, () -> gpt.loss(batch.x(), batch.y()));
  }

  private static Built gnn(int width, int depth, Rng rng) {
    NodeData karate = Karate.load();
    Gnn gnn = new Gnn(new Gnn.Config(Gnn.Conv.GCN, karate.nodes().dimension(), width, karate.classes(), depth, 0),
        rng.fork("model"));
    Tensor all = Tensors.arange(karate.nodes().size());
    return new Built("gnn", gnn, () -> gnn.loss(karate.features(), karate.graph(), karate.labels(), all));
  }

  private static int[] widths(int in, int width, int hidden, int out) {
    int[] w = new int[hidden + 2];
    java.util.Arrays.fill(w, width);
    w[0] = in;
    w[hidden + 1] = out;
    return w;
  }

  private static int or(int value, int fallback) {
    return value > 0 ? value : fallback;
  }
}
