package org.incipit.models.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.incipit.models.data.TextCorpus;
import org.incipit.models.train.Checkpoints;
import org.incipit.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code incipit sample}: text from a char-GPT checkpoint. */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Generate text from a char-GPT checkpoint.")
final class SampleCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", description = "A checkpoint written by 'incipit train --model gpt' (default ${DEFAULT-VALUE}).",
      defaultValue = "checkpoints/gpt.safetensors")
  Path checkpoint;

  @Option(names = "--prompt", description = "Text to continue (default ${DEFAULT-VALUE}).", defaultValue = "Call me ")
  String prompt;

  @Option(names = "--tokens", description = "Characters to generate (default ${DEFAULT-VALUE}).", defaultValue = "300")
  int tokens;

  @Option(names = "--temperature", description = "Softmax temperature (default ${DEFAULT-VALUE}).", defaultValue = "0.8")
  double temperature;

  @Option(names = "--seed", description = "Sampling seed (default ${DEFAULT-VALUE}).", defaultValue = "0")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(checkpoint)) {
      throw new IllegalArgumentException("no checkpoint at " + checkpoint + " (run 'incipit train --model gpt' first)");
    }
    Checkpoints.LoadedGpt loaded = Checkpoints.loadCharGpt(checkpoint);
    TextCorpus vocab = TextCorpus.of(loaded.vocabulary(), 0.5);
    long[] start = Arrays.stream(vocab.encode(prompt)).asLongStream().toArray();
    long[] out = loaded.model().generate(start, tokens, temperature, Rng.seeded(seed));
    System.out.println(prompt + vocab.decode(Arrays.stream(out).mapToInt(Math::toIntExact).toArray()));
    return 0;
  }
}
