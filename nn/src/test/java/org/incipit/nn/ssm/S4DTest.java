package org.incipit.nn.ssm;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.S4DInit;
import org.incipit.nn.Parameter;
import org.incipit.nn.ssm.S4DKernel.Discretization;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The S4D layer (Gu et al. 2022): the FFT path equals the recurrent scan, the discrete system is
 * stable, the initial steps lie in their range, the layer is causal and its gradients match
 * central differences in float64 with respect to the input and every parameter.
 */
class S4DTest {
  private static Tensor f64(Rng rng, int... shape) {
    return Tensors.randn(rng, shape).cast(DType.F64);
  }

  private static Tensor uniform(Rng rng, double lo, double hi, int... shape) {
    return Tensors.of(DType.F64, rng.uniform(Shape.of(shape).numel(), lo, hi), shape);
  }

  /** An F64 layer with random parameters: Re A = −e^A_real ∈ [−e², −e⁻²], |Im A| ≤ 40, Δ ∈ [1e−3, 1]. */
  private static S4D randomLayer(int h, int n, Discretization disc, Rng rng) {
    S4D layer = new S4D(h, n, S4DInit.lin(), disc, 0.0, rng.fork("layer"));
    layer.to(DType.F64, Device.cpu());
    Map<String, Parameter> p = layer.namedParameters();
    p.get("kernel.log_dt").assign(uniform(rng.fork("dt"), Math.log(1e-3), 0, h));
    p.get("kernel.A_real").assign(uniform(rng.fork("ar"), -2, 2, h, n / 2));
    p.get("kernel.A_imag").assign(uniform(rng.fork("ai"), -40, 40, h, n / 2));
    p.get("kernel.B").assign(f64(rng.fork("b"), h, n / 2, 2));
    p.get("kernel.C").assign(f64(rng.fork("c"), h, n / 2, 2));
    return layer;
  }

  /**
   * K ∗ u + D·u by FFT equals the step-by-step recurrence, for random N, L, Δ and both
   * discretisations: |fft − scan| ≤ 1e−10·(1 + max|scan|) (the largest difference seen on these
   * seeds is below 3e−15·(1 + max|scan|)). N/2 ∈ 1–8 and L ∈ 1–48, their ends mixed in.
   */
  @Test
  void fftConvolutionEqualsTheRecurrentScan() {
    qt().withFixedSeed(220611893L).withExamples(60)
        .forAll(integers().between(1, 8).mix(Generate.pick(List.of(1, 8)), 20),
            integers().between(1, 48).mix(Generate.pick(List.of(1, 2, 48)), 20), booleans().all(), longs().all())
        .checkAssert(S4DTest::fftEqualsScan);
  }

  static void fftEqualsScan(int halfN, int length, boolean bilinear, long seed) {
    Rng rng = Rng.seeded(seed);
    S4D layer = randomLayer(2, 2 * halfN, bilinear ? Discretization.BILINEAR : Discretization.ZOH, rng);
    Tensor u = f64(rng.fork("u"), 3, 2, length);
    double[] fft = layer.ssm(u).toDoubles();
    double[] scan = layer.ssmScan(u).toDoubles();
    double scale = 1;
    for (double v : scan) {
      scale = Math.max(scale, 1 + Math.abs(v));
    }
    for (int i = 0; i < fft.length; i++) {
      assertEquals(scan[i], fft[i], 1e-10 * scale, "element " + i + " (N = " + 2 * halfN + ", L = " + length + ")");
    }
  }

  /** |dA| &lt; 1 for every parameter value (Re A = −e^A_real &lt; 0), ZOH and bilinear. */
  @Test
  void theDiscreteStateMatrixIsStable() {
    qt().withFixedSeed(2206L).withExamples(100).forAll(booleans().all(), longs().all())
        .checkAssert(S4DTest::discreteStateMatrixIsStable);
  }

  static void discreteStateMatrixIsStable(boolean bilinear, long seed) {
    Rng rng = Rng.seeded(seed);
    S4DKernel k = new S4DKernel(3, 8, S4DInit.inv(), bilinear ? Discretization.BILINEAR : Discretization.ZOH,
        rng.fork("k"));
    k.to(DType.F64, Device.cpu());
    Map<String, Parameter> p = k.namedParameters();
    p.get("log_dt").assign(uniform(rng.fork("dt"), -7, 3, 3));    // Δ ∈ [1e−3, 20]
    p.get("A_real").assign(uniform(rng.fork("ar"), -6, 6, 3, 4)); // |Re A| ∈ [2.5e−3, 400]
    p.get("A_imag").assign(uniform(rng.fork("ai"), -1e3, 1e3, 3, 4));
    for (double m : k.discretize().dA().abs2().toDoubles()) {
      assertTrue(m < 1, "|dA|² = " + m);
    }
  }

  @Test
  void initialStepsLieInTheirRangeAndInitialSystemsAreStable() {
    for (S4DInit init : List.of(S4DInit.lin(), S4DInit.inv())) {
      for (Discretization disc : Discretization.values()) {
        S4DKernel k = new S4DKernel(256, 64, init, disc, Rng.seeded(5));
        for (double dt : k.dt().toDoubles()) {
          assertTrue(dt >= 1e-3 * (1 - 1e-6) && dt <= 1e-1 * (1 + 1e-6), "dt " + dt + " outside [1e-3, 1e-1]");
        }
        for (double m : k.discretize().dA().abs2().toDoubles()) {
          assertTrue(m < 1, init.aImag() + " " + disc + ": |dA|² = " + m);
        }
        assertEquals(-0.5, k.a().re().toDoubles()[17], 1e-7, "Re A = −½");
      }
    }
  }

  @Test
  void theLayerIsCausalAndKeepsItsShape() {
    S4D layer = new S4D(4, 8, 0.0, Rng.seeded(6));
    Tensor u = Tensors.randn(Rng.seeded(7), 2, 4, 10);
    Tensor y = layer.forward(u);
    assertEquals(Shape.of(2, 4, 10), y.shape());
    double[] changed = u.toDoubles();
    for (int i = 0; i < changed.length; i++) {
      if (i % 10 >= 6) {
        changed[i] += 1.0; // the future: positions 6 … 9
      }
    }
    double[] a = y.toDoubles();
    double[] b = layer.forward(Tensors.of(DType.F32, changed, 2, 4, 10)).toDoubles();
    for (int i = 0; i < a.length; i++) {
      if (i % 10 < 6) {
        assertEquals(a[i], b[i], 0.0, "output " + i + " depends on the future");
      } else {
        assertNotEquals(a[i], b[i], "output " + i + " ignores its present");
      }
    }
  }

  @Test
  void parametersShapesAndErrors() {
    S4D layer = new S4D(3, 6, 0.1, Rng.seeded(8));
    Map<String, Shape> want = new LinkedHashMap<>();
    want.put("D", Shape.of(3));
    want.put("kernel.log_dt", Shape.of(3));
    want.put("kernel.A_real", Shape.of(3, 3));
    want.put("kernel.A_imag", Shape.of(3, 3));
    want.put("kernel.B", Shape.of(3, 3, 2));
    want.put("kernel.C", Shape.of(3, 3, 2));
    want.put("output.weight", Shape.of(6, 3, 1));
    want.put("output.bias", Shape.of(6));
    Map<String, Shape> got = new LinkedHashMap<>();
    layer.namedParameters().forEach((k, p) -> got.put(k, p.shape()));
    assertEquals(want, got);
    assertEquals(Shape.of(3, 5), layer.kernel().kernel(5).shape());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensors.ones(2, 4, 5)));
    assertTrue(e.getMessage().contains("H = 3") && e.getMessage().contains("[2, 4, 5]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new S4D(3, 5, 0.0, Rng.seeded(1)));
    assertTrue(e.getMessage().contains("even"), e.getMessage());
  }

  /** Gradcheck of the whole block in float64 with respect to the input and every parameter. */
  private static void gradcheck(S4D layer, Tensor u) {
    org.incipit.nn.ModuleGradCheck.assertMatches(layer, u, layer::forward, GradCheck.Options.float64());
  }

  @Test
  void theBlockPassesGradcheckInFloat64ForBothDiscretisations() {
    Rng rng = Rng.seeded(9);
    for (Discretization disc : Discretization.values()) {
      S4D layer = new S4D(2, 4, S4DInit.inv(), disc, 0.0, rng.fork(disc.name()));
      layer.to(DType.F64, Device.cpu());
      layer.namedParameters().get("kernel.log_dt").assign(uniform(rng.fork("dt"), -3, -1, 2)); // Δ ≈ 0.05 … 0.37
      gradcheck(layer, f64(rng.fork("u"), 1, 2, 5));
    }
  }
}
