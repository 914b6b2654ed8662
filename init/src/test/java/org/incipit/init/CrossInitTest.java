package org.incipit.init;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.function.UnaryOperator;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link CrossInit} in float64 (1e−12 for identities, 1e−9 for gradients; rounding only): v0 is the
 * encoder's output at the mean-name positions and the same on every call; the regulariser is
 * λ·mean_c‖v_c − v0_c‖ with gradient (λ/C)(v_c − v0_c)/‖v_c − v0_c‖, and 0 with a zero gradient at
 * v = v0; rows of a frozen table around the new ones stay bit-identical. C = 1 and d = 1 included.
 */
class CrossInitTest {
  /** A fixed nonlinear causal "encoder": out_t = tanh(W·Σ_{s≤t} x_s) + x_t·2. */
  private static UnaryOperator<Tensor> encoder(int d, Rng rng) {
    Tensor w = Tensors.of(DType.F64, rng.normal(d * d), d, d);
    return x -> {
      int t = x.size(1);
      Tensor[] outs = new Tensor[t];
      Tensor acc = x.select(1, 0).mul(0.0);
      for (int i = 0; i < t; i++) {
        acc = acc.add(x.select(1, i));                                     // (1, d)
        outs[i] = acc.matmul(w).tanh().add(x.select(1, i).mul(2.0)).unsqueeze(1);
      }
      return Tensors.cat(1, outs);                                         // (1, T, d)
    };
  }

  @Test
  void v0IsTheEncoderOutputAtTheNamePositions() {
    qt().withFixedSeed(15_41).withExamples(60)
        .forAll(integers().between(1, 8), integers().between(1, 3), integers().between(1, 6),
            integers().between(0, 1_000_000))
        .checkAssert((names, c, d, seed) -> {
          Rng rng = Rng.seeded(seed);
          UnaryOperator<Tensor> te = encoder(d, rng.fork("te"));
          Tensor emb = Tensors.of(DType.F64, rng.fork("names").normal(names * c * d), names, c, d);
          Tensor m = CrossInit.meanNameEmbeddings(emb);
          Tensor bos = Tensors.of(DType.F64, rng.fork("bos").normal(d), 1, d);
          Tensor eos = Tensors.of(DType.F64, rng.fork("eos").normal(2 * d), 2, d);
          Tensor v0 = CrossInit.init(te, bos, m, eos);
          Tensor full = te.apply(Tensors.cat(0, bos, m, eos).unsqueeze(0)); // (1, 1 + c + 2, d)
          assertArrayEquals(full.select(0, 0).slice(0, 1, 1 + c).contiguous().toDoubles(), v0.toDoubles(), 1e-12);
          assertArrayEquals(v0.toDoubles(), CrossInit.init(te, bos, m, eos).toDoubles(), "deterministic");
          double[] mean = m.toDoubles();
          double[] raw = emb.toDoubles();
          for (int j = 0; j < c * d; j++) {
            double s = 0;
            for (int n = 0; n < names; n++) {
              s += raw[n * c * d + j] / names;
            }
            assertEquals(s, mean[j], 1e-12, "m is the mean over names");
          }
        });
  }

  @Test
  void regulariserIsTheMeanUnsquaredDistanceWithItsGradient() {
    qt().withFixedSeed(15_42).withExamples(100)
        .forAll(integers().between(1, 4), integers().between(1, 8), integers().between(0, 1_000_000))
        .checkAssert((c, d, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor v0 = Tensors.of(DType.F64, rng.fork("v0").normal(c * d, 0, 5), c, d);
          Tensor v = Tensors.of(DType.F64, rng.fork("v").normal(c * d), c, d).withGrad();
          double lambda = 0.3;
          Tensor r = CrossInit.regulariser(v, v0, lambda);
          double[] diff = v.sub(v0).toDoubles();
          double expected = 0;
          double[] norms = new double[c];
          for (int i = 0; i < c; i++) {
            for (int j = 0; j < d; j++) {
              norms[i] += diff[i * d + j] * diff[i * d + j];
            }
            norms[i] = Math.sqrt(norms[i]);
            expected += lambda * norms[i] / c;
          }
          assertEquals(expected, r.item(), 1e-12);
          double[] g = r.backward().of(v).toDoubles();
          for (int i = 0; i < c; i++) {
            for (int j = 0; j < d; j++) {
              assertEquals(lambda / c * diff[i * d + j] / norms[i], g[i * d + j], 1e-9);
            }
          }
        });
  }

  @Test
  void regulariserIsZeroAtInitAndFrozenRowsStayPut() {
    Rng rng = Rng.seeded(3);
    Tensor v0 = Tensors.of(DType.F32, rng.normal(2 * 4, 0, 10), 2, 4);
    Tensor v = v0.detach().withGrad();
    Tensor r = CrossInit.regulariser(v, v0, CrossInit.LAMBDA);
    assertEquals(0.0, r.item());
    for (double g : r.backward().of(v).toDoubles()) {
      assertEquals(0.0, g);
    }
    Tensor frozen = Tensors.of(DType.F32, rng.fork("e").normal(5 * 4), 5, 4);
    Tensor table = Tensors.cat(0, frozen, v);                             // (7, 4): only v trains
    assertArrayEquals(frozen.toFloats(), table.slice(0, 0, 5).contiguous().toFloats());
    assertFalse(frozen.requiresGrad());
    assertThrows(IllegalArgumentException.class, () -> CrossInit.regulariser(v, Tensors.zeros(3, 4), 1));
    assertThrows(IllegalArgumentException.class, () -> CrossInit.meanNameEmbeddings(Tensors.zeros(2, 4)));
    assertThrows(IllegalArgumentException.class,
        () -> CrossInit.init(x -> x, Tensors.zeros(1, 3), Tensors.zeros(2, 4), null));
  }
}
