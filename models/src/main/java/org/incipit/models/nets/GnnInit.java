package org.incipit.models.nets;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Initializer;
import org.incipit.init.Virgo;
import org.incipit.nn.graph.Aggregation;
import org.incipit.nn.graph.GINConv;
import org.incipit.nn.graph.Graph;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * Graph-aware initializations of a {@link Gnn}: {@link Virgo} bound to a graph, its node features
 * and the network's sizes, and the plain per-layer schemes it is compared with. A rule applies
 * to the weight matrices Virgo names — GCN {@code convs.l.lin.weight}, GraphSAGE
 * {@code convs.l.lin_l.weight} and {@code convs.l.lin_r.weight}, GIN the first and last Linear of
 * {@code convs.l.mlp} — and leaves every bias as it is. The constants use the GCN-normalised Â for
 * every layer type, as the reference computes them once per graph.
 *
 * <pre>{@code
 * Virgo.Constants c = GnnInit.virgo(net, graph, x, Virgo.Mean.HARMONIC, rng.fork("virgo"));
 * }</pre>
 * Held by {@code VirgoPropertiesTest} (tests; {@code sageAndGinGetTheBoundOnTheWeightsVirgoNames}).
 */
public final class GnnInit {
  private static final Pattern WEIGHT = Pattern.compile("convs\\.(\\d+)\\.(lin|lin_l|lin_r|mlp\\.(\\d+))\\.weight");

  private GnnInit() {}

  /** v ↦ Â·v with Â = D̃^(−½)(A + I)D̃^(−½) of {@code g}, in float64 on the host. */
  public static UnaryOperator<double[]> gcnPropagation(Graph g) {
    Graph a = g.to(Device.cpu()).gcnNormalized(DType.F64);
    return v -> NoGrad.run(() -> a.propagate(Tensors.of(DType.F64, v, v.length), Aggregation.SUM)).toDoubles();
  }

  /** x̄: each node's mean input feature, from x (N, m_in). */
  public static double[] meanFeature(Tensor x) {
    if (x.rank() != 2) {
      throw new IllegalArgumentException("virgo: node features must be (N, m_in), got " + x.shape());
    }
    double[] v = x.toDoubles();
    int n = (int) x.size(0);
    int m = (int) x.size(1);
    double[] mean = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        mean[i] += v[i * m + j] / m;
      }
    }
    return mean;
  }

  /** Virgo's constants for {@code net} on ({@code g}, {@code x}), and its weights redrawn from them. */
  public static Virgo.Constants virgo(Gnn net, Graph g, Tensor x, Virgo.Mean mean, Rng rng) {
    Gnn.Config c = net.config();
    if (x.rank() != 2 || x.size(0) != g.numNodes() || x.size(1) != c.in()) {
      throw new IllegalArgumentException("virgo: needs features (" + g.numNodes() + ", " + c.in() + "), got " + x.shape());
    }
    Virgo.Constants k = Virgo.constants(gcnPropagation(g), meanFeature(x),
        new Virgo.Sizes(c.layers(), c.in(), c.hidden(), c.classes()), mean);
    apply(net, rng, layer -> Virgo.uniform(k.variance()[layer]));
    return k;
  }

  /** Every weight Virgo targets redrawn from {@code perLayer.apply(layer)}, the biases untouched. */
  public static List<String> apply(Gnn net, Rng rng, java.util.function.IntFunction<Initializer> perLayer) {
    return net.reinitialize(rng, (path, p) -> {
      Matcher m = WEIGHT.matcher(path);
      if (!m.matches()) {
        return null;
      }
      int layer = Integer.parseInt(m.group(1));
      if (m.group(3) != null && net.convs().get(layer) instanceof GINConv gin) {
        int i = Integer.parseInt(m.group(3));
        if (i != 0 && i != gin.mlp().size() - 1) {
          return null;
        }
      }
      return perLayer.apply(layer);
    });
  }
}
