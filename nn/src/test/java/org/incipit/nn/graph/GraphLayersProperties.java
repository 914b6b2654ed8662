package org.incipit.nn.graph;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

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

  @Test
  void gcnIsAHatTimesXTimesWPlusB() {
    qt().withFixedSeed(20260611L).withExamples(150)
        .forAll(Dense.RandomGraph.graphs(), integers().between(1, 4), integers().between(1, 4), longs().all())
        .checkAssert(GraphLayersProperties::gcnIsAHatTimesXTimesWPlusB);
  }

  static void gcnIsAHatTimesXTimesWPlusB(Dense.RandomGraph r, int in, int out, long seed) {
    int n = r.n();
    Rng rng = Rng.seeded(seed);
    GCNConv conv = new GCNConv(in, out, rng.fork("conv"));
    conv.to(DType.F64, Device.cpu());
    conv.bias().assign(Tensors.randn(rng.fork("b"), out));
    Tensor x = f64(Tensors.randn(rng.fork("x"), n, in));
    double[][] ax = Dense.mul(Dense.gcnNormalized(r), Dense.rows(x));
    double[][] want = Dense.linear(ax, conv.lin().weight().value(), conv.bias().value());
    Dense.assertClose(want, conv.forward(x, r.graph(DType.F64)), TOL, "GCN on " + r);
  }

  @Test
  void sageIsLinLOfTheNeighbourMeanPlusLinROfTheNode() {
    qt().withFixedSeed(20260612L).withExamples(150)
        .forAll(Dense.RandomGraph.graphs(), integers().between(1, 4), integers().between(1, 4), longs().all())
        .checkAssert(GraphLayersProperties::sageIsLinLOfTheNeighbourMeanPlusLinROfTheNode);
  }

  static void sageIsLinLOfTheNeighbourMeanPlusLinROfTheNode(Dense.RandomGraph r, int in, int out, long seed) {
    int n = r.n();
    Rng rng = Rng.seeded(seed);
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

  /** Widths (in 1–4, hidden 1–4, depth 2–3) drawn as one triple, so the theory has four sources. */
  @Test
  void ginIsTheMlpOfAPlusOnePlusEpsTimesIdentityTimesX() {
    Gen<int[]> mlp = integers().between(1, 4).zip(integers().between(1, 4), integers().between(2, 3),
        (in, hidden, depth) -> new int[] {in, hidden, depth}).describedAs(java.util.Arrays::toString);
    qt().withFixedSeed(20260613L).withExamples(150)
        .forAll(Dense.RandomGraph.graphs(), mlp, booleans().all(), longs().all())
        .checkAssert((r, w, trainable, seed) -> ginIsTheMlpOf(r, w[0], w[1], w[2], trainable, seed));
  }

  static void ginIsTheMlpOf(Dense.RandomGraph r, int in, int hidden, int depth, boolean trainable, long seed) {
    int n = r.n();
    Rng rng = Rng.seeded(seed);
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
