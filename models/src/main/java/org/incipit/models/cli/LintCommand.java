package org.incipit.models.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.incipit.models.inspect.Zoo;
import org.incipit.nn.lint.Finding;
import org.incipit.nn.lint.Lint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code incipit lint}: the classic initialization mistakes in a model as built; exit code 1 when any rule fires. */
@Command(name = "lint", mixinStandardHelpOptions = true,
    description = "Check a model's initialization for the classic mistakes; exit 1 when a rule fires.")
final class LintCommand implements Callable<Integer> {
  @Mixin
  ModelOptions m;

  @Override
  public Integer call() {
    Zoo.Built b = m.build(0);
    List<Finding> findings = Lint.check(b.module());
    findings.forEach(System.out::println);
    System.out.println(findings.isEmpty() ? "lint: " + b.name() + " under " + m.init + ": no findings"
        : "lint: " + b.name() + " under " + m.init + ": " + findings.size() + " finding" + (findings.size() == 1 ? "" : "s"));
    return findings.isEmpty() ? 0 : 1;
  }
}
