package org.incipit.models.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.incipit.models.inspect.Zoo;
import org.incipit.nn.lint.Finding;
import org.incipit.nn.lint.Lint;
import org.incipit.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code incipit lint}: the classic initialization mistakes in a model as built; exit code 1 when any rule fires. */
@Command(name = "lint", mixinStandardHelpOptions = true,
    description = "Check a model's initialization for the classic mistakes; exit 1 when a rule fires.")
final class LintCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "mlp, cnn, gpt, gnn, kat, s4d, spiking-mlp, spiking-cnn.")
  String model;

  @Option(names = "--init", defaultValue = "default",
      description = "default, he, xavier, lecun, orthogonal, tanh-gain (gpt also: gpt2, normal); default ${DEFAULT-VALUE}.")
  String init;

  @Option(names = "--width", defaultValue = "0", description = "Hidden width (0: the model's default).")
  int width;

  @Option(names = "--depth", defaultValue = "0", description = "Hidden layers or blocks (0: the model's default).")
  int depth;

  @Override
  public Integer call() {
    Zoo.Built b = Zoo.build(model, init, width, depth, Rng.seeded(0));
    List<Finding> findings = Lint.check(b.module());
    findings.forEach(System.out::println);
    System.out.println(findings.isEmpty() ? "lint: " + b.name() + " under " + init + ": no findings"
        : "lint: " + b.name() + " under " + init + ": " + findings.size() + " finding" + (findings.size() == 1 ? "" : "s"));
    return findings.isEmpty() ? 0 : 1;
  }
}
