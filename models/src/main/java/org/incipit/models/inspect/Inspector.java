package org.incipit.models.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.models.report.Figure;
import org.incipit.models.report.Html;
import org.incipit.models.report.InitTables;
import org.incipit.models.report.Plots;
import org.incipit.models.report.Report;
import org.incipit.models.report.Table;
import org.incipit.nn.InitReport;
import org.incipit.nn.probe.LayerStats;
import org.incipit.nn.probe.Probe;
import org.incipit.tensor.Rng;

/**
 * {@code incipit inspect}: one forward and backward pass of a {@link Zoo} model on a batch of its
 * data at initialization, per leaf layer: activation mean and variance, gradient variance,
 * forward/backward variance ratios, dead ReLUs, saturated tanh units, LIF spike rates, KAN inputs
 * outside the grid — and, swept over widths, how they change with width (the coordinate check of
 * μP-style parameterisations).
 */
public final class Inspector {
  /** One inspected model: its per-layer statistics and how it was initialized. */
  public record Inspection(String model, String init, int width, List<LayerStats> layers, InitReport initReport) {}

  private Inspector() {}

  /** Builds the model and measures one pass. */
  public static Inspection inspect(String model, String init, int width, int depth, long seed) {
    Zoo.Built b = Zoo.build(model, init, width, depth, Rng.seeded(seed));
    InitReport report = b.module().initReport();
    try (Probe probe = Probe.attach(b.module())) {
      Tensor loss = b.loss().get();
      return new Inspection(b.name(), init, width, probe.measure(loss), report);
    }
  }

  /** The per-layer table of an inspection. */
  public static Table table(Inspection in) {
    List<List<Object>> rows = new ArrayList<>();
    for (LayerStats s : in.layers()) {
      rows.add(List.of(s.path(), s.type(), s.calls(), s.outputMean(), s.outputVar(), s.gradOutputVar(),
          s.forwardRatio(), s.backwardRatio(), s.dead(), s.saturated(), s.spikeRate(), s.outsideGrid()));
    }
    return new Table("Per layer at initialization: " + in.model() + " under " + in.init()
        + (in.width() > 0 ? ", width " + in.width() : ""), List.of("layer", "type", "calls", "out mean", "out var",
        "grad var", "fwd ratio", "bwd ratio", "dead ReLU", "saturated tanh", "spike rate", "outside grid"), rows);
  }

  /** Writes {@code dir/index.html} for one inspection and, when {@code sweep} is not empty, a width sweep. */
  public static Path writePage(Path dir, Inspection main, List<Inspection> sweep) throws IOException {
    List<Table> tables = new ArrayList<>(List.of(table(main)));
    List<Figure> figures = new ArrayList<>();
    figures.add(profile("Activation variance by layer", "output variance", Map.of(label(main), outVars(main))));
    figures.add(profile("Gradient variance by layer", "gradient variance", Map.of(label(main), gradVars(main))));
    if (!sweep.isEmpty()) {
      Map<String, double[]> act = new LinkedHashMap<>();
      Map<String, double[]> grad = new LinkedHashMap<>();
      for (Inspection s : sweep) {
        act.put("width " + s.width(), outVars(s));
        grad.put("width " + s.width(), gradVars(s));
      }
      figures.add(new Figure("Width sweep: activation variance", Plots.layerProfile("Activation variance by layer and"
          + " width", "output variance", act), "Lines that lie on top of each other: the activations' scale does not"
          + " depend on width."));
      figures.add(new Figure("Width sweep: gradient variance", Plots.layerProfile("Gradient variance by layer and width",
          "gradient variance", grad), "Under the standard parameterisation the gradient scale drifts with width."));
    }
    String html = Html.page("incipit inspect", main.model() + " under " + main.init() + " init",
        "One forward and backward pass on a batch of the model's data, at initialization. Ratios are Var(out)/Var(in)"
            + " and Var(∂L/∂in)/Var(∂L/∂out) per layer; NaN where a quantity does not apply.", tables, figures,
        List.of(InitTables.of(main.model(), main.initReport())),
        "Written by incipit inspect --model " + main.model() + " --init " + main.init() + ".");
    Files.createDirectories(dir);
    Path page = dir.resolve("index.html");
    Report.writeAtomically(page, html);
    return page;
  }

  private static Figure profile(String title, String quantity, Map<String, double[]> values) {
    return new Figure(title, Plots.layerProfile(title, quantity, values));
  }

  private static String label(Inspection in) {
    return in.init();
  }

  static double[] outVars(Inspection in) {
    return in.layers().stream().mapToDouble(LayerStats::outputVar).toArray();
  }

  static double[] gradVars(Inspection in) {
    return in.layers().stream().mapToDouble(LayerStats::gradOutputVar).toArray();
  }
}
