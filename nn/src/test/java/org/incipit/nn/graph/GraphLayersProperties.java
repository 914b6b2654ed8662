package org.incipit.nn.graph;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * Each graph layer's forward against its formula evaluated with dense matrices in the test, over
 * random small graphs (weighted ones too: SAGE and GIN must ignore the weights, GCN must use them)
 * and random widths, in float64. Biases and ε are set to non-zero values so they are checked too.
 */
class GraphLayersProperties {
  private static final double TOL = 1e-10;

  private static Tensor f64(Tensor t) {
    return t.cast(DType.F64);
  }

  @Property(tries = 150, seed = "20260611")
  void gcnIsAHatTimesXTimesWPlusB(@ForAll @IntRange(min = 1, max = 7) int n, @ForAll @IntRange(min = 0, max = 14) int e,
                                  @ForAll @IntRange(min = 1, max = 4) int in, @ForAll @IntRange(min = 1, max = 4) int out,
                                  @ForAll boolean weighted, @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    Dense.RandomGraph r = Dense.RandomGraph.draw(n, e, weighted, rng.fork("graph"));
    GCNConv conv = new GCNConv(in, out, rng.fork("conv"));
    conv.to(DType.F64, Device.cpu());
    conv.bias().assign(Tensors.randn(rng.fork("b"), out));
    Tensor x = f64(Tensors.randn(rng.fork("x"), n, in));
    double[][] ax = Dense.mul(Dense.gcnNormalized(r), Dense.rows(x));
    double[][] want = Dense.linear(ax, conv.lin().weight().value(), conv.bias().value());
    Dense.assertClose(want, conv.forward(x, r.graph(DType.F64)), TOL, "GCN on " + r);
  }

  @Property(tries = 150, seed = "20260612")
  void sageIsLinLOfTheNeighbourMeanPlusLinROfTheNode(@ForAll @IntRange(min = 1, max = 7) int n,
                                                     @ForAll @IntRange(min = 0, max = 14) int e,
                                                     @ForAll @IntRange(min = 1, max = 4) int in,
                                                     @ForAll @IntRange(min = 1, max = 4) int out,
                                                     @ForAll boolean weighted, @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    Dense.RandomGraph r = Dense.RandomGraph.draw(n, e, weighted, rng.fork("graph"));
    SAGEConv conv = new SAGEConv(in, out, rng.fork("conv"));
    conv.to(DType.F64, Device.cpu());
    Tensor x = f64(Tensors.randn(rng.fork("x"), n, in));
    double[][] mean = Dense.mul(Dense.adjacency(r, false), Dense.rows(x));
    int[] count = new int[n];
    for (int t : r.t()) {
      count[t]++;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < in; j++) {
        mean[i][j] = count[i] == 0 ? 0 : mean[i][j] / count[i];
      }
    }
    double[][] want = Dense.add(Dense.linear(mean, conv.linL().weight().value(), conv.linL().bias().value()),
        Dense.linear(Dense.rows(x), conv.linR().weight().value(), null));
    Dense.assertClose(want, conv.forward(x, r.graph(DType.F64)), TOL, "SAGE on " + r);
  }

  @Property(tries = 150, seed = "20260613")
  void ginIsTheMlpOfAPlusOnePlusEpsTimesIdentityTimesX(@ForAll @IntRange(min = 1, max = 7) int n,
                                                       @ForAll @IntRange(min = 0, max = 14) int e,
                                                       @ForAll @IntRange(min = 1, max = 4) int in,
                                                       @ForAll @IntRange(min = 1, max = 4) int hidden,
                                                       @ForAll @IntRange(min = 2, max = 3) int depth,
                                                       @ForAll boolean trainable, @ForAll boolean weighted,
                                                       @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    Dense.RandomGraph r = Dense.RandomGraph.draw(n, e, weighted, rng.fork("graph"));
    int[] widths = new int[depth + 1];
    java.util.Arrays.fill(widths, hidden);
    widths[0] = in;
    double eps = rng.fork("eps").uniform(1, -0.5, 0.5)[0];
    GINConv conv = trainable ? GINConv.trainableEps(widths, eps, rng.fork("conv")) : GINConv.fixedEps(widths, eps, rng.fork("conv"));
    conv.to(DType.F64, Device.cpu());
    Tensor x = f64(Tensors.randn(rng.fork("x"), n, in));
    double[][] a = Dense.adjacency(r, false);
    for (int i = 0; i < n; i++) {
      a[i][i] += 1 + conv.eps(); // a trainable ε is stored in the parameter's dtype
    }
    double[][] h = Dense.mul(a, Dense.rows(x));
    for (int i = 0; i < depth; i++) {
      Linear lin = conv.mlp().get(i);
      h = Dense.linear(h, lin.weight().value(), lin.bias().value());
      h = i + 1 < depth ? Dense.relu(h) : h;
    }
    Dense.assertClose(h, conv.forward(x, r.graph(DType.F64)), TOL, "GIN on " + r);
  }
}
