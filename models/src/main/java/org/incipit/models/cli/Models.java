package org.incipit.models.cli;

import java.util.Locale;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.nets.Cnn;
import org.incipit.models.nets.Mlp;
import org.incipit.nn.Layer;
import org.incipit.tensor.Rng;

/** Builds the command line's models from an init name. */
final class Models {
  private Models() {}

  static CharGpt.Init gptInit(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "default", "pytorch" -> CharGpt.Init.PYTORCH_DEFAULT;
      case "normal" -> CharGpt.Init.NORMAL_002;
      case "gpt2" -> CharGpt.Init.GPT2;
      default -> throw new IllegalArgumentException("unknown gpt init '" + name + "' (default, normal, gpt2)");
    };
  }

  /** The weight initializer named {@code name}, or null for PyTorch's defaults. */
  static Initializer weightInit(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "default", "pytorch" -> null;
      case "he" -> Initializers.heNormal();
      case "xavier" -> Initializers.xavierNormal(1);
      case "lecun" -> Initializers.lecunNormal();
      default -> throw new IllegalArgumentException("unknown init '" + name + "' (default, he, xavier, lecun)");
    };
  }

  static Layer mlp(String init, int in, int hidden, int classes, Rng rng) {
    Initializer w = weightInit(init);
    int[] widths = {in, hidden, hidden, classes};
    return w == null ? Mlp.pytorchDefault(widths, Tensor::relu, rng) : new Mlp(widths, Tensor::relu, w, rng);
  }

  static Layer cnn(String init, Rng rng) {
    Cnn cnn = new Cnn(1, 10, rng);
    Initializer w = weightInit(init);
    if (w != null) { // weights redrawn, biases zero
      cnn.reinitialize(rng, (path, p) -> p.shape().rank() >= 2 ? w : Initializers.zeros());
    }
    return cnn;
  }
}
