package org.incipit.models.studies;

import java.util.HashSet;
import java.util.Set;
import org.incipit.models.report.Report;
import org.incipit.nn.Module;

/**
 * Where a study run records how its models were initialized: {@link StudyContext#initialized}
 * takes a module's {@link Module#initReport()} right after construction and puts it in the run's
 * report ({@link Study#newReport} attaches it), once per label — a loop over seeds or learning
 * rates that builds the same model again records it once.
 */
public final class InitLog {
  private Report report;
  private final Set<String> labels = new HashSet<>();

  void attach(Report r) {
    this.report = r;
    labels.clear();
  }

  void record(String label, Module module) {
    if (report == null) {
      throw new IllegalStateException("initialized(\"" + label + "\") before the study made its report (newReport)");
    }
    if (labels.add(label)) {
      report.initialization(label, module.initReport());
    }
  }
}
