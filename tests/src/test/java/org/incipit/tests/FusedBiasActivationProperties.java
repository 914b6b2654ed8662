package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;

import java.util.function.BiFunction;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.GradMode;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.autograd.ops.BiasActivation;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.tensor.cpu.Parallel;
import org.incipit.testkit.Gens;
import org.junit.jupiter.api.Test;

/**
 * The fused bias + activation against its composite {@code act(z.add(b))}: the same additions and
 * the same relu mask, so values and dz agree bit for bit; db is a sum in double in both, but the
 * reduction may split a column into four interleaved partial sums where the kernel keeps one chain,
 * so db agrees to 1e-12 (float64) or 1e-5 (float32: sums of at most 128 terms of σ 1, where the two
 * double sums round to floats at most an ulp, 2e-6, apart).
 */
class FusedBiasActivationProperties {
  private static Tensor composite(Tensor z, Tensor b, boolean relu) {
    Tensor y = z.add(b);
    return relu ? y.relu() : y;
  }

  /** Values, dz and db of fused and composite for one upstream gradient. */
  private static void agree(Tensor z, Tensor b, boolean relu) {
    double dbTol = z.dtype() == DType.F64 ? 1e-12 : 1e-5;
    Tensor z1 = z.withGrad();
    Tensor b1 = b.withGrad();
    Tensor z2 = z.withGrad();
    Tensor b2 = b.withGrad();
    Tensor fused = BiasActivation.apply(z1, b1, relu ? "relu" : "identity");
    Tensor ref = composite(z2, b2, relu);
    assertTrue(fused.op().startsWith("bias_"), fused.op());
    Tensor g = Tensors.of(z.dtype(), Rng.seeded(3).normal(z.numel()), z.shape(), z.device());
    assertArrayEquals(ref.toDoubles(), fused.toDoubles(), 0.0, "values");
    Gradients gf = fused.backward(g);
    Gradients gr = ref.backward(g);
    assertArrayEquals(gr.of(z2).toDoubles(), gf.of(z1).toDoubles(), 0.0, "dz");
    assertArrayEquals(gr.of(b2).toDoubles(), gf.of(b1).toDoubles(), dbTol, "db");
  }

  @Test
  void matchesTheComposite() {
    qt().withFixedSeed(91L).withExamples(200).forAll(Gens.dims(1, 3, 1, 40), booleans().all(), Gens.longs())
        .checkAssert((dims, relu, seed) -> {
          int cols = dims[dims.length - 1];
          double[] v = Rng.seeded(seed).normal(Shape.of(dims).numel());
          double[] c = Rng.seeded(seed + 1).normal(cols);
          for (DType d : new DType[] {DType.F64, DType.F32}) {
            agree(Tensors.of(d, v, dims), Tensors.of(d, c, cols), relu);
          }
        });
  }

  /** Wide rows: several column blocks of the backward, with a tail. */
  @Test
  void wideRowsAndEveryThreadCountGiveTheSameBits() {
    Rng rng = Rng.seeded(4);
    Tensor z = Tensors.of(DType.F32, rng.fork("z").normal(128 * 600), 128, 600);
    Tensor b = Tensors.of(DType.F32, rng.fork("b").normal(600), 600);
    agree(z, b, true);
    BiFunction<Tensor, Tensor, double[][]> run = (zz, bb) -> {
      Tensor z1 = zz.withGrad();
      Tensor b1 = bb.withGrad();
      Tensor y = BiasActivation.apply(z1, b1, "relu");
      Gradients g = y.mul(y).sum().backward();
      return new double[][] {y.toDoubles(), g.of(z1).toDoubles(), g.of(b1).toDoubles()};
    };
    double[][] parallel = run.apply(z, b);
    double[][] inline = Parallel.sequentially(() -> run.apply(z, b));
    for (int i = 0; i < parallel.length; i++) {
      assertArrayEquals(parallel[i], inline[i], 0.0, "output " + i + " at 1 and " + Parallel.threads() + " threads");
    }
  }

  @Test
  void passesGradCheckAwayFromTheKink() {
    double[] v = Rng.seeded(5).normal(12);
    for (int i = 0; i < v.length; i++) {
      v[i] += v[i] > 0 ? 0.1 : -0.1; // |z + b| stays above the step
    }
    Tensor z = Tensors.of(DType.F64, v, 3, 4);
    Tensor b = Tensors.zeros(Shape.of(4), DType.F64, z.device());
    for (String act : new String[] {"identity", "relu"}) {
      GradCheck.assertMatches(in -> BiasActivation.apply(in[0], in[1], act), new Tensor[] {z, b},
          GradCheck.Options.float64());
    }
  }

  @Test
  void tensorCodeRuleUnderCreateGraph() {
    Tensor z = Tensors.of(DType.F64, Rng.seeded(6).normal(12), 3, 4).withGrad();
    Tensor b = Tensors.of(DType.F64, Rng.seeded(7).normal(4), 4).withGrad();
    Tensor y = BiasActivation.apply(z, b, "relu");
    Tensor g = Tensors.of(DType.F64, Rng.seeded(8).normal(12), 3, 4).withGrad();
    Gradients withGraph = y.backward(g, GradMode.CREATE_GRAPH);
    Gradients plain = y.backward(g);
    assertArrayEquals(plain.of(z).toDoubles(), withGraph.of(z).toDoubles(), 0.0);
    assertArrayEquals(plain.of(b).toDoubles(), withGraph.of(b).toDoubles(), 0.0);
    // d(Σ db)/dg = [y > 0] per element: the rule's graph reaches the upstream gradient
    double[] mask = withGraph.of(b).sum().backward().of(g).toDoubles();
    double[] yv = y.toDoubles();
    for (int i = 0; i < yv.length; i++) {
      assertEquals(yv[i] > 0 ? 1.0 : 0.0, mask[i]);
    }
  }

  /**
   * Zeros of both signs, NaN, infinities and a subnormal in every lane of whole vectors (rows of
   * 37: two 16-lane vectors and a scalar tail): values and dz keep the composite's raw bits.
   */
  @Test
  void specialValuesKeepTheirBitsInVectorLanes() {
    double[] special = {-1, 0, -0.0, 2, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-40, 3};
    int rows = 5;
    int cols = 37;
    double[] z = new double[rows * cols];
    double[] g = new double[rows * cols];
    double[] c = new double[cols];
    for (int i = 0; i < z.length; i++) {
      z[i] = special[i % special.length];
      g[i] = special[(i * 5 + 2) % special.length];
    }
    for (int j = 0; j < cols; j++) {
      c[j] = special[(j * 7 + 1) % special.length];
    }
    for (boolean relu : new boolean[] {true, false}) {
      Tensor z1 = Tensors.of(DType.F32, z, rows, cols).withGrad();
      Tensor b1 = Tensors.of(DType.F32, c, cols).withGrad();
      Tensor z2 = Tensors.of(DType.F32, z, rows, cols).withGrad();
      Tensor b2 = Tensors.of(DType.F32, c, cols).withGrad();
      Tensor fused = BiasActivation.apply(z1, b1, relu ? "relu" : "identity");
      Tensor ref = composite(z2, b2, relu);
      Tensor up = Tensors.of(DType.F32, g, rows, cols);
      assertArrayEquals(rawBits(ref), rawBits(fused), "values, relu " + relu);
      assertArrayEquals(rawBits(ref.backward(up).of(z2)), rawBits(fused.backward(up).of(z1)), "dz, relu " + relu);
    }
  }

  private static int[] rawBits(Tensor t) {
    float[] f = t.toFloats();
    int[] out = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = Float.floatToRawIntBits(f[i]);
    }
    return out;
  }

  @Test
  void reluBackwardMatchesItsTensorCode() {
    double[] v = {-1, 0, 2, Double.NaN, Double.POSITIVE_INFINITY, -0.0, 3};
    Tensor x = Tensors.of(DType.F32, v, 7).withGrad();
    Tensor y = x.relu();
    Tensor g = Tensors.of(DType.F32, new double[] {1, 2, Double.POSITIVE_INFINITY, 4, 5, 6, Double.NaN}, 7);
    assertArrayEquals(y.backward(g, GradMode.CREATE_GRAPH).of(x).toDoubles(), y.backward(g).of(x).toDoubles(), 0.0);
  }

  @Test
  void linearGivesTheSameBitsAsMatmulPlusBias() {
    Linear fc = new Linear(7, 5, Rng.seeded(9));
    Tensor x = Tensors.of(DType.F32, Rng.seeded(10).normal(2 * 3 * 7), 2, 3, 7); // (B, T, in)
    Tensor y = fc.forward(x);
    assertEquals("bias_identity", y.op());
    Tensor ref = x.matmul(fc.weight().value().transpose(0, 1)).add(fc.bias().value());
    assertArrayEquals(ref.toDoubles(), y.toDoubles(), 0.0);
  }

  @Test
  void noRows() {
    agree(Tensors.zeros(0, 4), Tensors.of(DType.F32, new double[] {1, -1, 2, 0}, 4), true);
  }

  @Test
  void badShapesAndActivationsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BiasActivation.apply(Tensors.zeros(2, 3), Tensors.zeros(4), "relu"));
    assertTrue(e.getMessage().contains("bias_act") && e.getMessage().contains("[2, 3]")
        && e.getMessage().contains("[4]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BiasActivation.apply(Tensors.zeros(2, 3), Tensors.zeros(3), "swish"));
    assertTrue(e.getMessage().contains("bias_act") && e.getMessage().contains("swish"), e.getMessage());
  }
}
