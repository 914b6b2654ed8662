package org.incipit.models.cli;

import java.util.concurrent.Callable;
import org.incipit.models.studies.Studies;
import org.incipit.models.studies.Study;
import picocli.CommandLine.Command;

/** {@code incipit studies}: the reproduction studies with their paper and claim. */
@Command(name = "studies", mixinStandardHelpOptions = true, description = "List the reproduction studies.")
final class StudiesCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    for (Study s : Studies.all()) {
      System.out.println(s.name());
      System.out.println("  " + s.title());
      System.out.println("  paper: " + s.paper().text());
      System.out.println("  claim: " + s.claim());
      System.out.println();
    }
    return 0;
  }
}
