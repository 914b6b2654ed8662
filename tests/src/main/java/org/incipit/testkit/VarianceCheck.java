package org.incipit.testkit;

import java.util.List;
import java.util.function.Function;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Module;
import org.incipit.nn.probe.LayerStats;
import org.incipit.nn.probe.Probe;

/**
 * Signal-propagation assertions at initialization: the numbers of {@code incipit inspect} as an API,
 * so a test can hold a model's init to "the forward variance stays constant through the layers"
 * (He et al. 2015) or "halves at every ReLU layer" (Xavier under ReLU).
 *
 * <pre>{@code
 * List<LayerStats> s = VarianceCheck.profile(mlp, x, y -> y.mul(readout).sum());
 * VarianceCheck.assertForwardGrowth(s, "Linear", 1.0, 0.3);   // He: Var(zₗ₊₁)/Var(zₗ) = 1 ± 30 %
 * }</pre>
 */
public final class VarianceCheck {
  private VarianceCheck() {}

  /** Per-leaf-layer statistics of one forward of {@code input} through {@code model} and one backward of {@code loss}. */
  public static List<LayerStats> profile(Module model, Function<Tensor, Tensor> forward, Tensor input,
                                         Function<Tensor, Tensor> loss) {
    try (Probe probe = Probe.attach(model)) {
      return probe.measure(loss.apply(forward.apply(input)));
    }
  }

  /** The output variances of the layers whose class is named {@code type}, in order. */
  public static double[] outputVariances(List<LayerStats> stats, String type) {
    double[] v = stats.stream().filter(s -> s.type().equals(type)).mapToDouble(LayerStats::outputVar).toArray();
    if (v.length < 2) {
      throw new IllegalArgumentException("need at least two '" + type + "' layers, found " + v.length);
    }
    return v;
  }

  /**
   * Between consecutive layers of class {@code type}, the output variance changes by {@code growth}
   * (1 = constant, ½ = halves), each ratio within a relative {@code tolerance}. The error names the layer.
   */
  public static void assertForwardGrowth(List<LayerStats> stats, String type, double growth, double tolerance) {
    List<LayerStats> layers = stats.stream().filter(s -> s.type().equals(type)).toList();
    double[] v = outputVariances(stats, type);
    for (int l = 1; l < v.length; l++) {
      double r = v[l] / v[l - 1];
      if (!(Math.abs(r / growth - 1) <= tolerance)) {
        throw new AssertionError(String.format(java.util.Locale.ROOT, "Var(%s)/Var(%s) = %.4g, expected %.4g ± %.0f%%"
            + " (variances %s)", layers.get(l).path(), layers.get(l - 1).path(), r, growth, 100 * tolerance,
            java.util.Arrays.toString(v)));
      }
    }
  }
}
