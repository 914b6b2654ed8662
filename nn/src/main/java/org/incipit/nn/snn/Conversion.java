package org.incipit.nn.snn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.nn.HookHandle;
import org.incipit.nn.Layer;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;

/**
 * ANN → SNN conversion: take a trained ReLU network (average pooling, biases allowed), copy its
 * weights into a spiking network of the same synapses, and set each LIF layer's threshold from the
 * currents that layer actually receives.
 *
 * <p>Thresholds, layer by layer (Chowdhury, Rathi, Roy 2021, arXiv:2110.05929, §"ANN-SNN
 * conversion"; reference code {@code find_threshold} in SayeedChowdhury/IIR-SNN):
 * <pre>
 * λ_l ← 1 for every layer (integrate-and-fire during the search)
 * for l = 1 … L (the LIF layers in forward order):
 *   run the SNN on one batch (T steps); I_t = layer l's input current at step t, (N, …neurons)
 *   V_th,l ← max over t of P_p(I_t)        P_p: p-th percentile over all N·neurons values
 * </pre>
 * Layer l's currents depend only on the thresholds below it, which are already set. P_p is the
 * nearest-rank percentile of the reference ({@code kthvalue(1 + round(0.01·p·(n − 1)))}). When no
 * step gives a positive percentile, the layer would never fire; V_th,l is then
 * {@value #FALLBACK_THRESHOLD}, as in the reference. Percentiles below 100 keep a few outliers from
 * setting a threshold most neurons never reach (p = 90 by default).
 *
 * <pre>{@code
 * Conversion.copyWeights(ann, snn);                       // same parameter paths
 * double[] vth = Conversion.setThresholds(snn, batch, 90); // one per LIF layer
 * }</pre>
 */
public final class Conversion {
  private Conversion() {}

  /** The paper's default percentile. */
  public static final double DEFAULT_PERCENTILE = 90;
  /** The threshold of a layer whose currents never have a positive percentile (as the reference). */
  public static final double FALLBACK_THRESHOLD = 0.1;

  /**
   * Copies every parameter of {@code ann} into the parameter of {@code snn} with the same path
   * (the synapses; the SNN's LIF parameters have paths of their own). Missing paths and shape
   * mismatches are errors listing them; nothing is copied unless everything fits. Returns the
   * paths copied.
   */
  public static List<String> copyWeights(Module ann, Module snn) {
    Map<String, Parameter> from = ann.namedParameters();
    Map<String, Parameter> to = snn.namedParameters();
    List<String> problems = new ArrayList<>();
    from.forEach((path, p) -> {
      Parameter q = to.get(path);
      if (q == null) {
        problems.add("no '" + path + "' in the SNN");
      } else if (!q.shape().equals(p.shape())) {
        problems.add("'" + path + "' is " + p.shape() + " in the ANN but " + q.shape() + " in the SNN");
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("copyWeights: " + ann.getClass().getSimpleName() + " does not fit "
          + snn.getClass().getSimpleName() + ": " + String.join(", ", problems));
    }
    from.forEach((path, p) -> to.get(path).assign(p.value()));
    return new ArrayList<>(from.keySet());
  }

  /** The LIF layers of {@code snn} in registration order (the forward order of the nets here). */
  public static List<Lif> lifLayers(Module snn) {
    List<Lif> out = new ArrayList<>();
    for (Module m : snn.namedModules().values()) {
      if (m instanceof Lif lif) {
        out.add(lif);
      }
    }
    return out;
  }

  /**
   * Sets every LIF layer's leak to 1 and its threshold to the p-th percentile rule above, computed
   * on {@code batch} (the SNN's input); returns the thresholds in layer order.
   */
  public static double[] setThresholds(Layer snn, Tensor batch, double percentile) {
    if (!(percentile > 0 && percentile <= 100)) {
      throw new IllegalArgumentException("setThresholds: the percentile must be in (0, 100], got " + percentile);
    }
    List<Lif> lifs = lifLayers(snn);
    if (lifs.isEmpty()) {
      throw new IllegalArgumentException("setThresholds: " + snn.getClass().getSimpleName() + " has no LIF layer");
    }
    lifs.forEach(l -> l.setLeak(1.0));
    double[] thresholds = new double[lifs.size()];
    for (int l = 0; l < lifs.size(); l++) {
      Tensor currents = inputOf(lifs.get(l), snn, batch); // (T, N, …neurons)
      double best = Double.NEGATIVE_INFINITY;
      for (int t = 0; t < currents.size(0); t++) {
        best = Math.max(best, percentile(currents.select(0, t).toDoubles(), percentile));
      }
      thresholds[l] = best > 0 ? best : FALLBACK_THRESHOLD;
      lifs.get(l).setThreshold(thresholds[l]);
    }
    return thresholds;
  }

  /** What {@code lif} receives when {@code snn} runs on {@code batch} (without a tape). */
  private static Tensor inputOf(Lif lif, Layer snn, Tensor batch) {
    Tensor[] seen = new Tensor[1];
    try (HookHandle ignored = lif.addHook((layer, in, out) -> seen[0] = in)) {
      NoGrad.run(() -> snn.forward(batch));
    }
    if (seen[0] == null) {
      throw new IllegalStateException("setThresholds: a LIF layer of " + snn.getClass().getSimpleName()
          + " was not run by its forward");
    }
    return seen[0];
  }

  /**
   * The p-th percentile by nearest rank: the k-th smallest value, k = 1 + round(p/100·(n − 1)) with
   * ties rounded to even (Python's {@code round}, torch's {@code kthvalue}, as the reference code
   * uses them). p = 0 gives the minimum, 100 the maximum.
   */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("percentile: no values");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.rint(p / 100.0 * (sorted.length - 1))];
  }
}
