package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.function.Function;
import org.incipit.autograd.Functional;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.GradMode;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Losses.CrossEntropyOptions;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.autograd.ops.CrossEntropyRows;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.tensor.cpu.CpuBackend;
import org.incipit.tensor.cpu.Parallel;
import org.incipit.testkit.Gens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The fused softmax backward and cross-entropy against the composites they replace: values and
 * gradients agree to 1e-12 in float64 and 1e-5 in float32 (logits of σ 3: losses and log-
 * probabilities within a few tens, probabilities in [0, 1]; the fused and composite forms round in
 * a different order — m + log Σ − x[t] against −((x[t] − m) − log Σ), row sums in one chain against
 * four — which moves a float result by a few ulps, far below 1e-5).
 */
class FusedLossProperties {
  private static final CrossEntropyOptions[] OPTIONS = {
      CrossEntropyOptions.defaults(),
      CrossEntropyOptions.defaults().withReduction(Reduction.SUM).withIgnoreIndex(2),
      CrossEntropyOptions.defaults().withReduction(Reduction.NONE).withLabelSmoothing(0.1),
      CrossEntropyOptions.defaults().withLabelSmoothing(0.25).withIgnoreIndex(0)};

  /** Values and gradients (for a random upstream gradient) of two functions of one input. */
  private static void agree(Function<Tensor, Tensor> fused, Function<Tensor, Tensor> ref, Tensor x, double tol) {
    Tensor a = x.withGrad();
    Tensor b = x.withGrad();
    Tensor fa = fused.apply(a);
    Tensor rb = ref.apply(b);
    Tensor g = Tensors.of(x.dtype(), Rng.seeded(5).normal(fa.numel()), fa.shape(), fa.device());
    assertArrayEquals(rb.toDoubles(), fa.toDoubles(), tol, "values");
    assertArrayEquals(rb.backward(g).of(b).toDoubles(), fa.backward(g).of(a).toDoubles(), tol, "gradients");
  }

  private static Tensor targets(long seed, int rows, int classes, long ignore) {
    long[] t = Rng.seeded(seed).integers(rows, classes);
    for (int i = 0; i < rows; i += 3) {
      t[i] = ignore; // every third row ignored (or, when the ignore index is a class, just that class)
    }
    return Tensors.ofLongs(t, rows);
  }

  @Test
  void crossEntropyMatchesItsComposite() {
    qt().withFixedSeed(81L).withExamples(150).forAll(integers().between(1, 40), integers().between(1, 20),
        integers().between(0, OPTIONS.length - 1), Gens.longs()).checkAssert((rows, classes, k, seed) -> {
          CrossEntropyOptions o = OPTIONS[k];
          Tensor t = targets(seed, rows, classes, o.ignoreIndex());
          double[] v = Rng.seeded(seed + 1).normal(rows * classes, 0, 3);
          for (DType d : new DType[] {DType.F64, DType.F32}) {
            Tensor x = Tensors.of(d, v, rows, classes);
            agree(z -> Losses.crossEntropy(z, t, o), z -> Losses.crossEntropyReference(z, t, o), x,
                d == DType.F64 ? 1e-12 : 1e-5);
          }
        });
  }

  @Test
  void crossEntropyOverSpatialAxesUsesTheFusedRows() {
    Tensor x = Tensors.of(DType.F32, Rng.seeded(3).normal(2 * 5 * 3 * 4), 2, 5, 3, 4); // (N, C, d1, d2)
    Tensor t = Tensors.ofLongs(Rng.seeded(4).integers(24, 5), 2, 3, 4);
    agree(z -> Losses.crossEntropy(z, t), z -> Losses.crossEntropyReference(z, t, CrossEntropyOptions.defaults()),
        x, 1e-5);
  }

  @Test
  void crossEntropyPassesGradCheck() {
    Tensor x = Tensors.of(DType.F64, Rng.seeded(6).normal(30, 0, 2), 6, 5);
    for (CrossEntropyOptions o : OPTIONS) {
      Tensor t = Tensors.ofLongs(new long[] {2, o.ignoreIndex(), 0, 4, 1, 3}, 6);
      GradCheck.assertMatches(in -> Losses.crossEntropy(in[0], t, o), new Tensor[] {x}, GradCheck.Options.float64());
    }
  }

  @Test
  void ignoredRowsGetZeroGradientAndAllIgnoredMeansNaN() {
    Tensor x = Tensors.of(DType.F32, Rng.seeded(7).normal(12), 3, 4).withGrad();
    Tensor t = Tensors.ofLongs(new long[] {1, -100, 3}, 3);
    double[] g = Losses.crossEntropy(x, t).backward().of(x).toDoubles();
    for (int j = 4; j < 8; j++) {
      assertEquals(0.0, g[j], "row 1 is ignored");
    }
    Tensor none = Tensors.ofLongs(new long[] {-100, -100, -100}, 3);
    assertTrue(Double.isNaN(Losses.crossEntropy(x, none).item()), "0/0, as the reference");
    assertTrue(Double.isNaN(Losses.crossEntropyReference(x, none, CrossEntropyOptions.defaults()).item()));
  }

  @Test
  void maskedLogitsBehaveLikeTheComposite() {
    double inf = Double.NEGATIVE_INFINITY;
    double[] v = {0.5, inf, 2, inf, inf, 1, 3, 3, 3};
    Tensor t = Tensors.ofLongs(new long[] {2, 2, 0}, 3);
    Tensor x = Tensors.of(DType.F32, v, 3, 3);
    agree(z -> Losses.crossEntropy(z, t), z -> Losses.crossEntropyReference(z, t, CrossEntropyOptions.defaults()),
        x, 1e-6);
  }

  @Test
  void secondDerivativesThroughTheFusedOpsMatchTheComposites() {
    Tensor t = Tensors.ofLongs(new long[] {1, 0, 3}, 3);
    Tensor v = Tensors.of(DType.F64, Rng.seeded(8).normal(12), 3, 4);
    Function<Function<Tensor, Tensor>, double[]> hvp = f -> {
      Tensor x = Tensors.of(DType.F64, Rng.seeded(9).normal(12), 3, 4).withGrad();
      Tensor y = f.apply(x);
      Tensor gx = y.backward(y.constant(1.0), GradMode.CREATE_GRAPH).of(x);
      return gx.mul(v).sum().backward().of(x).toDoubles(); // (∇²f)·v
    };
    CrossEntropyOptions o = CrossEntropyOptions.defaults().withLabelSmoothing(0.1);
    assertArrayEquals(hvp.apply(z -> Losses.crossEntropyReference(z, t, o)), hvp.apply(z -> Losses.crossEntropy(z, t, o)),
        1e-12, "cross-entropy");
    Tensor w = Tensors.of(DType.F64, Rng.seeded(10).normal(12), 3, 4);
    for (boolean log : new boolean[] {false, true}) {
      Function<Tensor, Tensor> fused = z -> (log ? Functional.logSoftmax(z, -1) : Functional.softmax(z, -1)).mul(w).sum();
      Function<Tensor, Tensor> ref = z -> (log ? Functional.logSoftmaxReference(z, -1)
          : Functional.softmaxReference(z, -1)).mul(w).sum();
      assertArrayEquals(hvp.apply(ref), hvp.apply(fused), 1e-12, log ? "log-softmax" : "softmax");
    }
  }

  /** Causally masked attention scores (B·H, T, T): −∞ above the diagonal; one fully masked row. */
  @Test
  void softmaxBackwardOnCausallyMaskedRows() {
    qt().withFixedSeed(82L).withExamples(40).forAll(integers().between(1, 4), integers().between(1, 19),
        booleans().all()).checkAssert((bh, len, log) -> {
          double[] v = Rng.seeded(bh * 31L + len).normal(bh * len * len, 0, 3);
          for (int i = 0; i < v.length; i++) {
            if (i % len > (i / len) % len) {
              v[i] = Double.NEGATIVE_INFINITY;
            }
          }
          for (DType d : new DType[] {DType.F64, DType.F32}) {
            Tensor x = Tensors.of(d, v, bh, len, len);
            agree(z -> log ? Functional.logSoftmax(z, -1) : Functional.softmax(z, -1),
                z -> log ? Functional.logSoftmaxReference(z, -1) : Functional.softmaxReference(z, -1),
                x, d == DType.F64 ? 1e-12 : 1e-5);
          }
        });
  }

  /** The fused rules (no graph) against the same op's Tensor-code rules (a graph is built). */
  @Test
  void fusedBackwardRulesMatchTheirTensorCode() {
    qt().withFixedSeed(83L).withExamples(100).forAll(Gens.dims(1, 3, 1, 20), booleans().all(), Gens.longs())
        .checkAssert((dims, log, seed) -> {
          Tensor x = Tensors.of(DType.F32, Rng.seeded(seed).normal(Shape.of(dims).numel(), 0, 3), dims).withGrad();
          Tensor y = log ? Functional.logSoftmax(x, -1) : Functional.softmax(x, -1);
          Tensor g = Tensors.of(DType.F32, Rng.seeded(seed + 1).normal(y.numel()), y.shape(), y.device());
          double[] tensorCode = y.backward(g, GradMode.CREATE_GRAPH).of(x).toDoubles();
          assertArrayEquals(tensorCode, y.backward(g).of(x).toDoubles(), 1e-5);
        });
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    Rng rng = Rng.seeded(11);
    Tensor logits = Tensors.of(DType.F32, rng.fork("l").normal(1024 * 256, 0, 2), 1024, 256);
    Tensor t = targets(12, 1024, 256, -100);
    Tensor scores = Tensors.of(DType.F32, rng.fork("s").normal(64 * 64 * 64), 64, 64, 64);
    Tensor g = Tensors.of(DType.F32, rng.fork("g").normal(64 * 64 * 64), 64, 64, 64);
    Function<Boolean, double[][]> run = log -> {
      Tensor a = logits.withGrad();
      Tensor s = scores.withGrad();
      Tensor loss = Losses.crossEntropy(a, t, CrossEntropyOptions.defaults().withLabelSmoothing(0.1));
      Tensor p = log ? Functional.logSoftmax(s, -1) : Functional.softmax(s, -1);
      return new double[][] {loss.toDoubles(), loss.backward().of(a).toDoubles(), p.backward(g).of(s).toDoubles()};
    };
    for (boolean log : new boolean[] {false, true}) {
      double[][] parallel = run.apply(log);
      double[][] inline = Parallel.sequentially(() -> run.apply(log));
      for (int i = 0; i < parallel.length; i++) {
        assertArrayEquals(parallel[i], inline[i], 0.0, "output " + i + " at 1 and " + Parallel.threads() + " threads");
      }
    }
  }

  @Test
  void emptyShapes() {
    Tensor rows = Tensors.zeros(3, 0).withGrad(); // rows of no classes (the composite's max refuses them)
    for (boolean log : new boolean[] {false, true}) {
      Tensor y = log ? Functional.logSoftmax(rows, -1) : Functional.softmax(rows, -1);
      assertEquals(Shape.of(3, 0), y.backward(y).of(rows).shape());
    }
    Tensor none = Tensors.zeros(0, 5); // no rows: the mean is 0/0
    Tensor t = Tensors.ofLongs(new long[0], 0);
    assertTrue(Double.isNaN(Losses.crossEntropy(none, t).item()));
    Tensor x = none.withGrad();
    assertEquals(0, Losses.crossEntropy(x, t, OPTIONS[1]).backward().of(x).numel());
  }

  @Test
  void badTargetsAndShapesAreNamed() {
    Tensor x = Tensors.zeros(2, 3);
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> CrossEntropyRows.apply(x, new long[] {1, 3}, 0.0));
    assertTrue(e.getMessage().contains("cross_entropy") && e.getMessage().contains("class 3")
        && e.getMessage().contains("row 1") && e.getMessage().contains("3 classes"), e.getMessage());
    e = assertThrows(IndexOutOfBoundsException.class, () -> Losses.crossEntropy(x, Tensors.ofLongs(new long[] {0, 7}, 2)));
    assertTrue(e.getMessage().contains("target class 7") && e.getMessage().contains("3 classes"), e.getMessage());
    IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
        () -> CrossEntropyRows.apply(Tensors.zeros(2, 3, 1), new long[] {0, 1}, 0.0));
    assertTrue(s.getMessage().contains("cross_entropy") && s.getMessage().contains("[2, 3, 1]"), s.getMessage());
    s = assertThrows(IllegalArgumentException.class, () -> CrossEntropyRows.apply(x, new long[] {0}, 0.0));
    assertTrue(s.getMessage().contains("M = 1"), s.getMessage());
  }

  /** The kernels check their sizes themselves (another caller than the ops may get them wrong). */
  @Test
  void kernelsNameMismatchedSizes() {
    var cpu = CpuBackend.INSTANCE;
    var six = cpu.zeros(DType.F32, 6);
    var five = cpu.zeros(DType.F32, 5);
    var targets = cpu.fromHost(DType.I64, new long[] {0, 1});
    Executable[] calls = {
        () -> cpu.softmaxRowsBackward(six, five, 2, 3, false),
        () -> cpu.crossEntropyRows(five, targets, 2, 3, 0.0),
        () -> cpu.crossEntropyRowsBackward(six, targets, five, six, 2, 3, 0.0),
        () -> cpu.biasActivation(six, five, 2, 3, "relu"),
        () -> cpu.biasActivationBackward(six, five, 2, 3, "relu", null)};
    String[] ops = {"softmax_backward", "cross_entropy", "cross_entropy backward", "bias_act", "bias_act backward"};
    for (int i = 0; i < calls.length; i++) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, calls[i]);
      assertTrue(e.getMessage().startsWith(ops[i]) && e.getMessage().contains("[5]"), e.getMessage());
    }
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> cpu.crossEntropyRows(six, cpu.fromHost(DType.I64, new long[] {0, 3}), 2, 3, 0.0));
    assertTrue(e.getMessage().contains("class 3") && e.getMessage().contains("3 classes"), e.getMessage());
  }
}
