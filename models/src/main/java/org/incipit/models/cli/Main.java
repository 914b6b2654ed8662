package org.incipit.models.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code incipit} command. */
@Command(name = "incipit", mixinStandardHelpOptions = true, version = "incipit 0.1.0",
    description = "Initialization schemes, held to their papers' claims.",
    subcommands = {StudiesCommand.class, StudyCommand.class, TrainCommand.class, SampleCommand.class,
        ParityCommand.class, LintCommand.class, InspectCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code; errors are one line on stderr, no stack trace. */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("incipit: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 2;
    });
    cl.setParameterExceptionHandler((e, argv) -> {
      e.getCommandLine().getErr().println("incipit: " + e.getMessage() + " (see incipit "
          + (e.getCommandLine().getCommandName().equals("incipit") ? "" : e.getCommandLine().getCommandName() + " ")
          + "--help)");
      return 2;
    });
    return cl.execute(args);
  }
}
