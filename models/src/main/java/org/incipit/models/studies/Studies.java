package org.incipit.models.studies;

import java.util.List;
import java.util.stream.Collectors;

/** The registry of reproduction studies. */
public final class Studies {
  // one study per line, in the order `incipit studies` lists them
  private static final List<Study> ALL = List.of(
      new SignalPropagationStudy(),
      new Gpt2ScaledInitStudy(),
      new OptimizerComparisonStudy(),
      new SubGmSmallInitStudy(),
      new OverparamSensingStudy(),
      new DiffusionNoiseInitStudy(),
      new FixupStudy(),
      new TFixupStudy(),
      new IirSnnStudy(),
      new LaneSegNetInitStudy(),
      new VocabExpansionStudy(),
      new ToolTokensStudy(),
      new WechselStudy(),
      new CrossInitStudy(),
      new RandomPruningStudy(),
      new PreCropStudy(),
      new LayerLotteryStudy(),
      new S4DInitAblationStudy(),
      new VirgoVarianceStudy(),
      new KatVarianceStudy(),
      new NtkWidthStudy(),
      new LoraSbStudy(),
      new EvaStudy(),
      new PeftLoraInitsStudy(),
      new LoraFairStudy(),
      new BalancedActorInitStudy(),
      new PerceptualInitStudy(),
      new PolicyInitStudy());

  private Studies() {}

  public static List<Study> all() {
    return ALL;
  }

  /** The study called {@code name}; unknown names are an error that lists the known ones. */
  public static Study byName(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("unknown study '" + name + "' (known: "
            + ALL.stream().map(Study::name).collect(Collectors.joining(", ")) + ")"));
  }
}
