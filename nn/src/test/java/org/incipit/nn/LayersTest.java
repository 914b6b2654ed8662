package org.incipit.nn;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.adapters.LoRALinear;
import org.incipit.nn.adapters.LoRAXSLinear;
import org.incipit.nn.layers.*;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

class LayersTest {
  /** Gradcheck of a layer in float64 with respect to its input and every trainable parameter. */
  private static void gradcheck(Layer layer, Tensor x) {
    ModuleGradCheck.assertMatches(layer, x, layer::forward, GradCheck.Options.float64());
  }

  @Test
  void linearMatchesHandComputedValues() {
    Linear l = new Linear(2, 2, Rng.seeded(1));
    l.weight().assign(Tensors.of(new float[] {1, 2, 3, 4}, 2, 2));
    l.bias().assign(Tensors.of(new float[] {0.5f, -1}, 2));
    // [1, 1] Wᵀ + b = [1+2+0.5, 3+4−1]
    assertArrayEquals(new double[] {3.5, 6}, l.forward(Tensors.of(new float[] {1, 1}, 1, 2)).toDoubles(), 1e-6);
    assertArrayEquals(new float[] {1, 2, 3, 4}, l.weight().value().toFloats(), "assign keeps the value given");
  }

  @Test
  void conv2dMatchesHandComputedValues() {
    Conv2d c = new Conv2d(1, 1, 2, 1, 0, Rng.seeded(1));
    c.weight().assign(Tensors.of(new float[] {1, 0, 0, -1}, 1, 1, 2, 2));
    c.parameters().get(1).assign(Tensors.zeros(1));
    Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    // each output = x[i][j] − x[i+1][j+1] = −4
    assertArrayEquals(new double[] {-4, -4, -4, -4}, c.forward(x).toDoubles(), 1e-6);
  }

  @Test
  void normalisationAndEmbeddingMatchHandComputedValues() {
    LayerNorm ln = new LayerNorm(4, Rng.seeded(1));
    // x = [1, 2, 3, 4]: mean 2.5, biased variance 1.25, so y = (x − 2.5)/√(1.25 + 1e-5)
    double s = Math.sqrt(1.25 + 1e-5);
    assertArrayEquals(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s},
        ln.forward(Tensors.of(new float[] {1, 2, 3, 4}, 1, 4)).toDoubles(), 1e-6);
    RMSNorm rms = new RMSNorm(2, 0, Rng.seeded(1));
    // x = [3, 4]: mean square 12.5, so y = x/√12.5
    assertArrayEquals(new double[] {3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5)},
        rms.forward(Tensors.of(new float[] {3, 4}, 2)).toDoubles(), 1e-6);
    Embedding emb = new Embedding(3, 2, Rng.seeded(1));
    emb.weight().assign(Tensors.of(new float[] {0, 1, 10, 11, 20, 21}, 3, 2));
    Tensor rows = emb.forward(Tensors.ofLongs(new long[] {2, 0, 2}, 3));
    assertEquals(org.incipit.tensor.Shape.of(3, 2), rows.shape());
    assertArrayEquals(new double[] {20, 21, 0, 1, 20, 21}, rows.toDoubles(), 0.0);
    Flatten flat = new Flatten();
    assertEquals(org.incipit.tensor.Shape.of(2, 12), flat.forward(Tensors.zeros(2, 3, 2, 2)).shape());
    Tensor pooled = Pool2d.avg(2, 2).forward(Tensors.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
    assertArrayEquals(new double[] {2.5}, pooled.toDoubles(), 1e-6);
    assertArrayEquals(new double[] {4}, Pool2d.max(2, 2).forward(Tensors.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2))
        .toDoubles(), 0.0);
  }

  @Test
  void everyLayerPassesGradcheckInFloat64() {
    Rng rng = Rng.seeded(3);
    gradcheck(new Linear(3, 4, rng.fork("lin")), Tensors.randn(rng.fork("x1"), 2, 3).cast(DType.F64));
    gradcheck(new LayerNorm(5, rng.fork("ln")), Tensors.randn(rng.fork("x2"), 3, 5).cast(DType.F64));
    gradcheck(new RMSNorm(5, 1e-6, rng.fork("rms")), Tensors.randn(rng.fork("x3"), 3, 5).cast(DType.F64));
    gradcheck(new Conv2d(2, 3, 3, 1, 1, rng.fork("c2")), Tensors.randn(rng.fork("x4"), 1, 2, 4, 4).cast(DType.F64));
    gradcheck(new Conv1d(2, 2, 3, 2, 1, rng.fork("c1")), Tensors.randn(rng.fork("x5"), 2, 2, 7).cast(DType.F64));
    gradcheck(new CausalSelfAttention(4, 2, rng.fork("att")), Tensors.randn(rng.fork("x6"), 2, 3, 4).cast(DType.F64));
    gradcheck(new TransformerBlock(4, 2, rng.fork("blk")), Tensors.randn(rng.fork("x7"), 1, 3, 4).cast(DType.F64));
    var normal = org.incipit.init.Initializers.normal(0, 0.5); // B ≠ 0, so every path carries gradient
    gradcheck(new LoRALinear(new Linear(3, 2, rng.fork("b")), 2, 4, normal, normal, rng.fork("lora")),
        Tensors.randn(rng.fork("x8"), 2, 3).cast(DType.F64));
  }

  @Test
  void causalAttentionNeverLooksAhead() {
    CausalSelfAttention att = new CausalSelfAttention(8, 2, Rng.seeded(4));
    Tensor x = Tensors.randn(Rng.seeded(5), 1, 5, 8);
    double[] base = att.forward(x).toDoubles();
    double[] future = Tensors.randn(Rng.seeded(6), 1, 5, 8).toDoubles();
    double[] xv = x.toDoubles();
    System.arraycopy(future, 3 * 8, xv, 3 * 8, 2 * 8); // change positions 3 and 4 only
    double[] changed = att.forward(Tensors.of(DType.F32, xv, 1, 5, 8)).toDoubles();
    for (int i = 0; i < 3 * 8; i++) {
      assertEquals(base[i], changed[i], 1e-6, "output at position " + i / 8 + " saw the future");
    }
    assertNotEquals(base[4 * 8], changed[4 * 8]);
  }

  @Test
  void dropoutScalesKeepsAndIsReproducible() {
    Tensor x = Tensors.ones(100, 100);
    Dropout d = new Dropout(0.25, Rng.seeded(7));
    double[] y = d.forward(x).toDoubles();
    int kept = 0;
    for (double v : y) {
      assertTrue(v == 0 || Math.abs(v - 1 / 0.75) < 1e-6);
      kept += v != 0 ? 1 : 0;
    }
    // kept ~ Binomial(10⁴, 0.75): std 43, so ±5 std = ±217
    assertEquals(7500, kept, 217);
    assertArrayEquals(y, new Dropout(0.25, Rng.seeded(7)).forward(x).toDoubles(), 0.0, "same seed, same mask");
    assertFalse(java.util.Arrays.equals(y, d.forward(x).toDoubles()), "the next call draws a new mask");
    d.eval();
    assertArrayEquals(x.toDoubles(), d.forward(x).toDoubles(), 0.0);
  }

  @Test
  void loraIsANoOpAtInitAndMergesExactly() {
    Rng rng = Rng.seeded(8);
    Linear base = new Linear(6, 4, rng.fork("base"));
    Tensor x = Tensors.randn(rng.fork("x"), 3, 6);
    double[] plain = base.forward(x).toDoubles();
    LoRALinear lora = new LoRALinear(base, 2, 4, rng.fork("lora"));
    assertArrayEquals(plain, lora.forward(x).toDoubles(), 0.0, "B = 0: no-op");
    assertFalse(base.weight().trainable());
    assertEquals(2, lora.parameters().stream().filter(Parameter::trainable).count());
    var g = lora.forward(x).square().sum().backward();
    assertThrows(IllegalArgumentException.class, () -> g.of(base.weight().value()), "the base is frozen");
    assertTrue(g.contains(lora.loraB().value()));
    lora.loraB().assign(Tensors.randn(rng.fork("b"), 4, 2));
    double[] adapted = lora.forward(x).toDoubles();
    lora.merge();
    assertArrayEquals(adapted, lora.forward(x).toDoubles(), 1e-5);
    assertArrayEquals(adapted, base.forward(x).toDoubles(), 1e-5, "merged into the base weight");
    lora.unmerge();
    assertArrayEquals(plain, base.forward(x).toDoubles(), 1e-5);
  }

  @Test
  void loraXsTrainsOnlyRAndStartsAsTheBase() {
    Rng rng = Rng.seeded(9);
    Linear base = new Linear(6, 4, rng.fork("base"));
    Tensor x = Tensors.randn(rng.fork("x"), 3, 6);
    double[] plain = base.forward(x).toDoubles();
    LoRAXSLinear xs = new LoRAXSLinear(base, 3, 3, rng.fork("xs"));
    assertArrayEquals(plain, xs.forward(x).toDoubles(), 0.0);
    long trainable = xs.parameters().stream().filter(Parameter::trainable).mapToLong(p -> p.shape().numel()).sum();
    assertEquals(9, trainable, "r² trainable parameters");
    var g = xs.forward(x).square().sum().backward();
    assertTrue(g.contains(xs.loraR().value()));
    assertFalse(g.contains(xs.loraA().value()));
  }
}
