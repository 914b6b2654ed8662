package org.incipit.nn.kan;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The B-spline KAN layer: basis properties (partition of unity, agreement with the scalar
 * recursion, support), the layer against a per-edge double-precision oracle, efficient-kan's
 * initialisation, and gradcheck in F64.
 *
 * <p>Knots: with k ≥ 2 the bases are C¹ and the gradient is continuous, but a central difference
 * straddling a knot still mixes two polynomial pieces; gradcheck inputs are drawn and redrawn until
 * every x is at least 0.01 from every knot (the step is 10⁻⁶), see {@link #awayFromKnots}.
 */
class KanLinearTest {
  /** F64 values N(0, 0.8²) (some beyond [−1, 1] and beyond the extended grid) at least 0.01 from every knot. */
  static Tensor awayFromKnots(BSplineGrid grid, Rng rng, int... shape) {
    double[] t = grid.knots();
    int n = Shape.of(shape).numel();
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      for (long attempt = 0; ; attempt++) {
        double v = rng.fork(i).fork(attempt).normal(1)[0] * 0.8;
        boolean far = true;
        for (double knot : t) {
          far &= Math.abs(v - knot) >= 0.01;
        }
        if (far) {
          x[i] = v;
          break;
        }
      }
    }
    return Tensors.of(DType.F64, x, shape);
  }

  /** Grid sizes 1–9 (ends mixed in), orders 0–4, ranges [lo, lo + width), lo ∈ [−3, 1], width ∈ [0.1, 4]. */
  @Test
  void basesArePartitionOfUnityOnTheGridRange() {
    Gen<double[]> range = doubles().between(-3, 1).mix(Generate.pick(List.of(-3.0, 0.0, 1.0)), 20)
        .zip(doubles().between(0.1, 4).mix(Generate.pick(List.of(0.1, 4.0)), 20), (lo, w) -> new double[] {lo, w})
        .describedAs(r -> "lo " + r[0] + ", width " + r[1]);
    qt().withFixedSeed(20260511L).withExamples(200)
        .forAll(integers().between(1, 9).mix(Generate.pick(List.of(1, 9)), 20), integers().between(0, 4), range,
            longs().all())
        .checkAssert((size, order, r, seed) -> partitionOfUnity(size, order, r[0], r[1], seed));
  }

  static void partitionOfUnity(int size, int order, double lo, double width, long seed) {
    BSplineGrid grid = new BSplineGrid(size, order, lo, lo + width);
    double[] u = Rng.seeded(seed).uniform(30);
    double[] x = new double[u.length + 2];
    for (int i = 0; i < u.length; i++) {
      x[i] = lo + width * u[i];
    }
    x[u.length] = lo;              // both ends of the range are included for k ≥ 1 (k = 0: [lo, hi))
    x[u.length + 1] = order > 0 ? lo + width : lo + width * 0.999;
    double[] b = grid.bases(Tensors.of(DType.F64, x, x.length)).toDoubles(); // (N, G + k)
    int n = grid.count();
    for (int i = 0; i < x.length; i++) {
      double sum = 0;
      for (int m = 0; m < n; m++) {
        assertTrue(b[i * n + m] >= -1e-15, "B_" + m + "(" + x[i] + ") = " + b[i * n + m]);
        sum += b[i * n + m];
      }
      assertEquals(1.0, sum, 1e-12, grid + " at x = " + x[i]);
    }
  }

  /** x ∈ [−6, 6] with 0, the grid ends −1.5 and 2 and the extremes mixed in. */
  @Test
  void tensorBasesMatchTheScalarRecursion() {
    qt().withFixedSeed(20260512L).withExamples(150)
        .forAll(integers().between(1, 8).mix(Generate.pick(List.of(1, 8)), 20), integers().between(0, 4),
            doubles().between(-6, 6).mix(Generate.pick(List.of(-6.0, -1.5, 0.0, 2.0, 6.0)), 20))
        .checkAssert((size, order, x) -> {
          BSplineGrid grid = new BSplineGrid(size, order, -1.5, 2);
          double[] b = grid.bases(Tensors.of(DType.F64, new double[] {x}, 1)).toDoubles();
          for (int m = 0; m < grid.count(); m++) {
            assertEquals(grid.basis(m, x), b[m], 1e-13, "basis " + m + " at " + x + " on " + grid);
          }
        });
  }

  @Test
  void basesVanishOutsideTheExtendedGridAndHaveTheCubicKnotValues() {
    BSplineGrid grid = BSplineGrid.defaults(); // knots −2.2, −1.8, …, 2.2 (h = 0.4)
    double[] t = grid.knots();
    assertEquals(5 + 2 * 3 + 1, t.length);
    assertEquals(-2.2, t[0], 1e-15);
    assertEquals(2.2, t[t.length - 1], 1e-15);
    double[] out = grid.bases(Tensors.of(DType.F64, new double[] {-2.2001, 2.2, 7}, 3)).toDoubles();
    assertArrayEquals(new double[3 * 8], out, 0.0);
    // a uniform cubic B-spline takes 1/6, 2/3, 1/6 at its interior knots: at x = t₄ = −0.6
    double[] at = grid.bases(Tensors.of(DType.F64, new double[] {t[4]}, 1)).toDoubles();
    assertArrayEquals(new double[] {0, 1 / 6.0, 2 / 3.0, 1 / 6.0, 0, 0, 0, 0}, at, 1e-12);
  }

  @Test
  void layerEqualsThePerEdgeSumOfBaseAndSpline() {
    KanLinear kan = new KanLinear(3, 2, Rng.seeded(1));
    kan.to(DType.F64, Device.cpu());
    Tensor x = Tensors.randn(Rng.seeded(2), 4, 3).cast(DType.F64);
    double[] y = kan.forward(x).toDoubles();
    double[] xv = x.toDoubles();
    double[] wb = kan.baseWeight().value().toDoubles();
    double[] ws = kan.splineWeight().value().toDoubles();
    double[] sc = kan.splineScaler().value().toDoubles();
    BSplineGrid grid = kan.options().grid();
    for (int r = 0; r < 4; r++) {
      for (int j = 0; j < 2; j++) {
        double want = 0; // Σ_i φ_{j,i}(x_i)
        for (int i = 0; i < 3; i++) {
          double xi = xv[r * 3 + i];
          double spline = 0;
          for (int m = 0; m < 8; m++) {
            spline += ws[(j * 3 + i) * 8 + m] * grid.basis(m, xi);
          }
          want += wb[j * 3 + i] * xi / (1 + Math.exp(-xi)) + sc[j * 3 + i] * spline;
        }
        assertEquals(want, y[r * 2 + j], 1e-12, "row " + r + ", output " + j);
      }
    }
  }

  @Test
  void initialisationFollowsEfficientKan() {
    int in = 40;
    KanLinear kan = new KanLinear(in, 30, Rng.seeded(3));
    assertEquals(java.util.List.of("base_weight", "spline_weight", "spline_scaler"),
        new java.util.ArrayList<>(kan.namedParameters().keySet()));
    assertEquals(Shape.of(30, in, 8), kan.splineWeight().shape());
    double bound = 1 / Math.sqrt(in); // kaiming_uniform(a = √5): U(±1/√in)
    for (Tensor w : new Tensor[] {kan.baseWeight().value(), kan.splineScaler().value()}) {
      double max = 0;
      for (double v : w.toDoubles()) {
        max = Math.max(max, Math.abs(v));
      }
      assertTrue(max <= bound && max > 0.95 * bound, "max |w| = " + max + " vs bound " + bound);
    }
    // the initial spline interpolates noise in ±scale_noise/(2G) = ±0.01 at the G + 1 knots of [−1, 1]
    BSplineGrid grid = kan.options().grid();
    double[] c = kan.splineWeight().value().toDoubles();
    double[] t = grid.knots();
    double largest = 0;
    for (int e = 0; e < 30 * in; e++) {
      for (int r = 0; r <= grid.size(); r++) {
        double s = 0;
        for (int m = 0; m < 8; m++) {
          s += c[e * 8 + m] * grid.basis(m, t[grid.order() + r]);
        }
        largest = Math.max(largest, Math.abs(s));
      }
    }
    assertTrue(largest <= 0.01 + 1e-6 && largest > 0.009, "largest knot value " + largest);
  }

  @Test
  void minimumNormSolverInterpolatesWithTheSmallestCoefficients() {
    SplineNoise noise = new SplineNoise(BSplineGrid.defaults(), 0.1);
    double[][] k = noise.minimumNormSolver(); // (G + k) × (G + 1) = 8 × 6
    BSplineGrid grid = BSplineGrid.defaults();
    double[] t = grid.knots();
    for (int r = 0; r <= 5; r++) { // A·K = I: K's columns interpolate the unit vectors
      for (int s = 0; s <= 5; s++) {
        double v = 0;
        for (int i = 0; i < 8; i++) {
          v += grid.basis(i, t[3 + r]) * k[i][s];
        }
        assertEquals(r == s ? 1 : 0, v, 1e-12);
      }
    }
    // minimum norm: the Tikhonov solution argmin ‖Ac − e_s‖² + δ‖c‖² tends to it as δ → 0 (error O(δ))
    for (int s = 0; s <= 5; s++) {
      double[][] stacked = new double[6 + 8][8];
      double[] rhs = new double[6 + 8];
      for (int r = 0; r <= 5; r++) {
        for (int i = 0; i < 8; i++) {
          stacked[r][i] = grid.basis(i, t[3 + r]);
        }
      }
      for (int i = 0; i < 8; i++) {
        stacked[6 + i][i] = 1e-5; // √δ, δ = 10⁻¹⁰
      }
      rhs[s] = 1;
      double[] tikhonov = RationalFit.leastSquares(stacked, rhs);
      for (int i = 0; i < 8; i++) {
        assertEquals(tikhonov[i], k[i][s], 1e-8, "column " + s + ", coefficient " + i);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new SplineNoise(new BSplineGrid(5, 0, -1, 1), 0.1));
  }

  @Test
  void gradcheckInFloat64WithRespectToInputAndEveryParameter() {
    KanGradcheck.assertLayer(new KanLinear(3, 2, Rng.seeded(4)), awayFromKnots(BSplineGrid.defaults(), Rng.seeded(5), 4, 3));
    BSplineGrid quadratic = new BSplineGrid(3, 2, -0.5, 1.0);
    KanLinear plain = new KanLinear(2, 3, KanLinear.Options.defaults().withGrid(quadratic).withStandaloneScaleSpline(false),
        Rng.seeded(6));
    assertNull(plain.splineScaler());
    KanGradcheck.assertLayer(plain, awayFromKnots(quadratic, Rng.seeded(7), 2, 2, 2));
  }

  @Test
  void inputsOfAnyLeadingShapeAndErrors() {
    KanLinear kan = new KanLinear(4, 3, Rng.seeded(8));
    assertEquals(Shape.of(2, 5, 3), kan.forward(Tensors.randn(Rng.seeded(9), 2, 5, 4)).shape());
    var e = assertThrows(IllegalArgumentException.class, () -> kan.forward(Tensors.zeros(2, 5)));
    assertTrue(e.getMessage().contains("expected (…, 4)"), e.getMessage());
  }
}
