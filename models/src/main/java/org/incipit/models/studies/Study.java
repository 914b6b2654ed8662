package org.incipit.models.studies;

import org.incipit.models.report.Citation;
import org.incipit.models.report.Report;

/**
 * A reproduction study: a paper's claim, an experiment sized by a {@link Budget}, and a
 * {@link Report} that says whether this run reproduced the claim, with the numbers it measured.
 * {@code smoke} budgets take seconds (they run in the test suite); {@code full} budgets are what
 * reproduces the claim.
 */
public interface Study {
  /** The command-line name, e.g. {@code signal-propagation}. */
  String name();

  String title();

  Citation paper();

  /** The claim, in one or two sentences, as the run will test it. */
  String claim();

  /** Runs the experiment and returns the filled report (with its verdict). */
  Report run(StudyContext context);

  /** A report with this study's name, title, paper, claim and the context's setup. */
  default Report newReport(StudyContext context) {
    Report r = new Report(name(), title(), paper(), claim());
    context.inits().attach(r);
    r.setup("budget", context.budget().name().toLowerCase(java.util.Locale.ROOT));
    r.setup("seed", context.seed());
    r.setup("device", context.device().toString());
    return r;
  }
}
