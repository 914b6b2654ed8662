package org.incipit.models.studies;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.models.report.Plots;
import org.incipit.models.report.Report;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

class SignalPropagationTest {
  @Test
  void heIsFlatAndXavierHalvesPerReluLayer() {
    var schemes = SignalPropagation.classicSchemes();
    var he = SignalPropagation.measure(schemes.get(0), Tensor::relu, 20, 128, 128, Device.cpu(), Rng.seeded(1));
    var xavier = SignalPropagation.measure(schemes.get(1), Tensor::relu, 20, 128, 128, Device.cpu(), Rng.seeded(1));
    assertEquals(20, he.activationVar().length);
    assertTrue(he.maxDrift() < 0.5, "He drift " + he.maxDrift());
    // square layers: Xavier's variance is half of He's, so it halves at each ReLU layer: 19·log10(1/2) ≈ −5.7
    assertEquals(19 * Math.log10(0.5), xavier.totalChange(), 0.6);
    assertTrue(he.gradientVar()[0] > 0);
  }

  /**
   * The variance figure plots log10 Var once: it is the profile of 10^(the measured log10 values),
   * not of the log10 values themselves (which would be log10 log10 Var, with gaps wherever Var &lt; 1).
   */
  @Test
  void theVarianceFigurePlotsLog10OfTheVarianceOnce() {
    StudyContext ctx = new StudyContext(Budget.SMOKE, Device.cpu(), 1, new PrintStream(OutputStream.nullOutputStream()),
        false);
    Report report = new SignalPropagationStudy().run(ctx);
    JsonObject measured = JsonParser.parseString(report.json()).getAsJsonObject().getAsJsonObject("measurements");
    Map<String, double[]> logs = new LinkedHashMap<>();
    Map<String, double[]> vars = new LinkedHashMap<>();
    String suffix = ".log10_activation_var";
    for (Map.Entry<String, JsonElement> e : measured.entrySet()) {
      if (e.getKey().startsWith("relu.") && e.getKey().endsWith(suffix)) {
        String scheme = e.getKey().substring("relu.".length(), e.getKey().length() - suffix.length());
        double[] log = new Gson().fromJson(e.getValue(), double[].class);
        logs.put(scheme, log);
        vars.put(scheme, java.util.Arrays.stream(log).map(v -> Math.pow(10, v)).toArray());
      }
    }
    assertEquals(4, logs.size(), "four schemes measured: " + logs.keySet());
    String svg = report.figures().get(0).svg();
    assertNotEquals(Plots.layerProfile("relu MLP, pre-activations", "Var", logs), svg, "log10 taken twice");
    assertSameDrawing(Plots.layerProfile("relu MLP, pre-activations", "Var", vars), svg);
  }

  /** Equal SVG text, with every number equal within 1e-3 (10^log10 v need not give v back to the last bit). */
  private static void assertSameDrawing(String want, String got) {
    java.util.regex.Pattern number = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?([eE]-?\\d+)?");
    assertEquals(number.matcher(want).replaceAll("#"), number.matcher(got).replaceAll("#"), "the same drawing");
    double[] w = number.matcher(want).results().mapToDouble(r -> Double.parseDouble(r.group())).toArray();
    double[] g = number.matcher(got).results().mapToDouble(r -> Double.parseDouble(r.group())).toArray();
    assertArrayEquals(w, g, 1e-3, "the same coordinates");
  }
}
