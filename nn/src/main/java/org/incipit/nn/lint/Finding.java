package org.incipit.nn.lint;

/**
 * One initialization mistake found by {@link Lint}: the rule that fired, the parameter (or module)
 * path it concerns, what is wrong, and the fix.
 */
public record Finding(String rule, String path, String problem, String fix) {
  @Override
  public String toString() {
    return "[" + rule + "] " + path + ": " + problem + "\n    fix: " + fix;
  }
}
