package org.incipit.models.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs the command line in-process for tests: {exit code, stdout, stderr}. */
final class Cli {
  private Cli() {}

  static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true));
      System.setErr(new PrintStream(e, true));
      return new String[] {String.valueOf(Main.execute(args)), o.toString(), e.toString()};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
