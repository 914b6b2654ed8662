package org.incipit.models.cli;

import java.util.Locale;
import org.incipit.nn.Module;
import org.incipit.optim.AdamW;
import org.incipit.optim.Optimizer;
import org.incipit.optim.ParamGroup;
import org.incipit.optim.Sgd;
import org.incipit.optim.SgdSai;
import picocli.CommandLine.Option;

/** The optimizer flags shared by the commands that train. Biases and norm gains get no weight decay. */
final class OptimizerOptions {
  @Option(names = "--optimizer", description = "adamw, sgd or sgd-sai (default ${DEFAULT-VALUE}).", defaultValue = "adamw")
  String name;

  @Option(names = "--lr", description = "Learning rate (default: 2e-3 for adamw, 0.1 for sgd, 1e-2 for sgd-sai).")
  Double lr;

  @Option(names = "--weight-decay", description = "Decoupled (adamw, sgd-sai) or coupled (sgd) weight decay (default ${DEFAULT-VALUE}).",
      defaultValue = "0.01")
  double weightDecay;

  @Option(names = "--momentum", description = "sgd / sgd-sai momentum (default ${DEFAULT-VALUE}).", defaultValue = "0.9")
  double momentum;

  Optimizer build(Module model) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "adamw" -> new AdamW(ParamGroup.splitDecay(model,
          AdamW.Hyper.defaults().withLr(lr != null ? lr : 2e-3).withWeightDecay(weightDecay)));
      case "sgd" -> new Sgd(ParamGroup.splitDecay(model,
          Sgd.Hyper.defaults().withLr(lr != null ? lr : 0.1).withMomentum(momentum).withWeightDecay(weightDecay)));
      case "sgd-sai" -> new SgdSai(ParamGroup.splitDecay(model,
          SgdSai.Hyper.defaults().withLr(lr != null ? lr : 1e-2).withMomentum(momentum).withWeightDecay(weightDecay)));
      default -> throw new IllegalArgumentException("unknown optimizer '" + name + "' (adamw, sgd or sgd-sai)");
    };
  }

  String describe() {
    return name + (lr != null ? " lr=" + lr : "") + " wd=" + weightDecay;
  }
}
