package org.incipit.models.studies;

import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.models.report.Report;
import org.incipit.nn.InitReport;
import org.incipit.nn.Module;

/**
 * Where a study run records how its models were initialized: {@link StudyContext#initialized}
 * takes a module's {@link Module#initReport()} at the moment of the call (right after construction)
 * and puts it in the run's report once {@link Study#newReport} has made it — once per label, so a
 * loop over seeds or learning rates that builds the same model again records it once.
 */
public final class InitLog {
  private Report report;
  private final Map<String, InitReport> recorded = new LinkedHashMap<>();

  void attach(Report r) {
    this.report = r;
    recorded.forEach(r::initialization); // models built before the report was made
  }

  void record(String label, Module module) {
    if (!recorded.containsKey(label)) {
      InitReport init = module.initReport();
      recorded.put(label, init);
      if (report != null) {
        report.initialization(label, init);
      }
    }
  }
}
