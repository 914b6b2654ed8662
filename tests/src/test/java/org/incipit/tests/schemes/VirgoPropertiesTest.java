package org.incipit.tests.schemes;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Fans;
import org.incipit.init.Initializers;
import org.incipit.init.Virgo;
import org.incipit.models.data.StochasticBlockModel;
import org.incipit.models.nets.Gnn;
import org.incipit.models.nets.GnnInit;
import org.incipit.nn.graph.Graph;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.SampleCheck;
import org.junit.jupiter.api.Test;

/**
 * Virgo ({@link Virgo}, {@link GnnInit}): exact constants on regular graphs (Â𝟙 = 𝟙, so every
 * hidden backward term is 2/m and, for a constant x̄, every hidden forward term too), the
 * combinations, the variance of the draw (χ² interval at {@link SampleCheck#DEFAULT_ALPHA}), and
 * the spec's variance-stability check on an Erdős–Rényi graph (N = 200 here for speed, mean degree
 * ≈ 8, L = 6, m_in = 100, m = 64, C = 7): the pre-activation variance of the five hidden GCN layers
 * spreads by less than 2× under Virgo (measured 1.15) and by more than 10× under Xavier (43), one
 * pinned seed, the spec's margins. Features are bag-of-words-like Bernoulli(0.1), as in the
 * paper's citation datasets; with zero-mean N(0, 1) features x̄ is pure noise, the forward ratios
 * s_l(x̄)/s_{l+1}(x̄) then measure how fast noise is smoothed away, and the same check (at N = 400) gives a
 * spread of about 2.1 for Virgo (still about 19× tighter than Xavier's 40). The output layer is
 * left out: its variance is set by the cross-entropy backward term on purpose.
 */
class VirgoPropertiesTest {
  /** v ↦ Â·v on the cycle of n nodes with self loops: every degree is 3, Â𝟙 = 𝟙. */
  private static double[] cycle(double[] v) {
    int n = v.length;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = (v[(i + n - 1) % n] + v[i] + v[(i + 1) % n]) / 3;
    }
    return out;
  }

  @Test
  void onARegularGraphTheHiddenConstantsAreTwoOverM() {
    qt().withFixedSeed(11).withExamples(60)
        .forAll(integers().between(3, 40), integers().between(1, 8), integers().between(1, 128), integers().between(2, 10))
        .checkAssert((n, layers, m, classes) -> {
          double[] xbar = new double[n];
          Arrays.fill(xbar, 0.7);
          Virgo.Sizes sizes = new Virgo.Sizes(layers, 5, m, classes);
          Virgo.Constants c = Virgo.constants(VirgoPropertiesTest::cycle, xbar, sizes, Virgo.Mean.HARMONIC);
          assertEquals(2.0 / 5, c.forward()[0], 0.0, "c_f[0] = 2/m_in");
          for (int l = 1; l < layers; l++) {
            assertEquals(2.0 / m, c.forward()[l], 1e-12 / m, "c_f[" + l + "] with constant x̄");
          }
          for (int l = 0; l < layers - 1; l++) {
            assertEquals(2.0 / m, c.backward()[l], 1e-12 / m, "c_b[" + l + "]");
          }
          assertEquals(1.0 / (classes - 1), c.backward()[layers - 1], 1e-12, "c_b[L−1] = N/((C−1)·N)");
          for (int l = 0; l < layers; l++) {
            double f = c.forward()[l];
            double b = c.backward()[l];
            assertEquals(2 / (1 / f + 1 / b), c.variance()[l], 1e-15, "harmonic mean");
            assertTrue(c.variance()[l] <= (f + b) / 2 + 1e-15, "harmonic ≤ arithmetic");
          }
        });
  }

  @Test
  void theCombinationsAreTheirFormulas() {
    double[] xbar = {1, 2, 3, 4, 5, 6};
    Virgo.Sizes sizes = new Virgo.Sizes(4, 3, 16, 3);
    Virgo.Constants h = Virgo.constants(VirgoPropertiesTest::cycle, xbar, sizes, Virgo.Mean.HARMONIC);
    Virgo.Constants a = Virgo.constants(VirgoPropertiesTest::cycle, xbar, sizes, Virgo.Mean.ARITHMETIC);
    Virgo.Constants f = Virgo.constants(VirgoPropertiesTest::cycle, xbar, sizes, Virgo.Mean.FORWARD);
    Virgo.Constants b = Virgo.constants(VirgoPropertiesTest::cycle, xbar, sizes, Virgo.Mean.BACKWARD);
    double[] s = Virgo.smoothing(VirgoPropertiesTest::cycle, xbar, 4);
    for (int l = 0; l < 4; l++) {
      assertEquals((h.forward()[l] + h.backward()[l]) / 2, a.variance()[l], 1e-15);
      assertEquals(h.forward()[l], f.variance()[l], 0.0);
      assertEquals(h.backward()[l], b.variance()[l], 0.0);
    }
    assertEquals(2.0 / 16 * s[0] / s[1], h.forward()[1], 1e-15, "c_f[1] = (2/m)·s_1(x̄)/s_2(x̄)");
    assertTrue(s[1] < s[0], "smoothing a non-constant vector shrinks it");
  }

  @Test
  void badInputIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Virgo.Sizes(3, 4, 8, 1));
    assertTrue(e.getMessage().contains("virgo") && e.getMessage().contains("C"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Virgo.constants(VirgoPropertiesTest::cycle, new double[5],
        new Virgo.Sizes(3, 4, 8, 2), Virgo.Mean.HARMONIC));
    assertTrue(e.getMessage().contains("mean input feature"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Virgo.uniform(0));
  }

  @Test
  void theDrawHasVarianceC() {
    double c = 0.0123;
    double[] w = Virgo.uniform(c).create(Shape.of(256, 200), Fans.of(Shape.of(256, 200)), Rng.seeded(21)).toDoubles();
    SampleCheck.assertVariance(w, c, SampleCheck.UNIFORM_KURTOSIS, SampleCheck.DEFAULT_ALPHA);
    SampleCheck.assertWithin(w, -Math.sqrt(3 * c), Math.sqrt(3 * c));
  }

  /** Per-layer pre-activation variance of a GCN on (g, x). */
  static double[] forwardVariances(Gnn net, Graph g, Tensor x) {
    return NoGrad.run(() -> {
      Graph a = g.gcnNormalized(DType.F32);
      List<Double> out = new ArrayList<>();
      Tensor h = x;
      for (int i = 0; i < net.convs().size(); i++) {
        h = net.convs().get(i).forward(h, a);                 // (N, width)
        out.add(SampleCheck.moments(h.toDoubles()).variance());
        h = h.relu();
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    });
  }

  private static double spread(double[] v) {
    return Arrays.stream(v).max().orElseThrow() / Arrays.stream(v).min().orElseThrow();
  }

  @Test
  void virgoKeepsTheHiddenForwardVarianceOfADeepGcnWhereXavierLetsItFall() {
    Rng rng = Rng.seeded(5);
    int n = 200;
    Graph g = StochasticBlockModel.generate(new StochasticBlockModel.Config(1, n, 8.0 / (n - 1), 0, 0, 0.5, 0.25),
        rng.fork("er")).data().graph();
    double[] bagOfWords = rng.fork("b").uniform(n * 100);
    for (int i = 0; i < bagOfWords.length; i++) {
      bagOfWords[i] = bagOfWords[i] < 0.1 ? 1 : 0;
    }
    Tensor x = Tensors.of(DType.F32, bagOfWords, n, 100);
    Gnn.Config cfg = new Gnn.Config(Gnn.Conv.GCN, 100, 64, 7, 6, 0.0);
    Gnn xavier = new Gnn(cfg, rng.fork("net"));
    Gnn virgo = new Gnn(cfg, rng.fork("net"));
    GnnInit.virgo(virgo, g, x, Virgo.Mean.HARMONIC, rng.fork("virgo"));
    GnnInit.apply(xavier, rng.fork("xavier"), l -> Initializers.xavierUniform(1));
    double[] vv = Arrays.copyOf(forwardVariances(virgo, g, x), 5);   // hidden layers 0 … L−2
    double[] vx = Arrays.copyOf(forwardVariances(xavier, g, x), 5);
    assertTrue(spread(vv) < 2, "Virgo: max/min of the hidden per-layer variance " + Arrays.toString(vv));
    assertTrue(spread(vx) > 10, "Xavier: max/min of the hidden per-layer variance " + Arrays.toString(vx));
  }

  @Test
  void sageAndGinGetTheBoundOnTheWeightsVirgoNames() {
    Rng rng = Rng.seeded(9);
    var sample = StochasticBlockModel.generate(new StochasticBlockModel.Config(3, 40, 0.2, 0.02, 1.0, 0.5, 0.25),
        rng.fork("sbm"));
    Graph g = sample.data().graph();
    Tensor x = sample.data().nodes().features();
    for (Gnn.Conv conv : new Gnn.Conv[] {Gnn.Conv.SAGE, Gnn.Conv.GIN}) {
      Gnn net = new Gnn(new Gnn.Config(conv, 3, 128, 3, 3, 0.0), rng.fork(conv.name()));
      java.util.Map<String, double[]> before = new java.util.HashMap<>();
      net.namedParameters().forEach((path, p) -> before.put(path, p.value().toDoubles()));
      Virgo.Constants c = GnnInit.virgo(net, g, x, Virgo.Mean.HARMONIC, rng.fork("virgo"));
      net.namedParameters().forEach((path, p) -> {
        boolean target = path.matches("convs\\.\\d\\.(lin_l|lin_r|mlp\\.[01])\\.weight");
        boolean changed = !Arrays.equals(before.get(path), p.value().toDoubles());
        assertEquals(target, changed, conv + " " + path + (target ? " must" : " must not") + " be redrawn");
        if (target && p.value().numel() >= 128 * 128) {
          int layer = Integer.parseInt(path.substring("convs.".length(), "convs.".length() + 1));
          SampleCheck.assertVariance(p.value().toDoubles(), c.variance()[layer], SampleCheck.UNIFORM_KURTOSIS,
              SampleCheck.DEFAULT_ALPHA);
        }
      });
    }
  }
}
