package org.incipit.models.studies;

import java.io.PrintStream;
import org.incipit.models.report.Progress;
import org.incipit.nn.Module;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * What a study run is given: its budget, device and seed, where to print progress, and the log its
 * models' initialization goes to.
 */
public record StudyContext(Budget budget, Device device, long seed, PrintStream console, boolean interactive,
                           InitLog inits) {
  public StudyContext(Budget budget, Device device, long seed, PrintStream console, boolean interactive) {
    this(budget, device, seed, console, interactive, new InitLog());
  }

  /**
   * Records how {@code module} was initialized in this run's report; call it right after building
   * a model the study trains or measures. Once per label.
   */
  public void initialized(String label, Module module) {
    inits.record(label, module);
  }

  /** The root random stream of the run. */
  public Rng rng() {
    return Rng.seeded(seed);
  }

  public boolean full() {
    return budget == Budget.FULL;
  }

  /** A progress display for {@code total} steps: a bar on a terminal, plain periodic lines otherwise. */
  public Progress progress(String name, long total) {
    return interactive ? Progress.start(name, total) : Progress.plain(name, total, console, Progress.PLAIN_EVERY);
  }
}
