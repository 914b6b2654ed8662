package org.incipit.bench;

import java.util.concurrent.TimeUnit;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused GELU, LayerNorm and attention-softmax kernels against the composites of primitives
 * they replace, at the tiny GPT's shapes (batch 16 × T 64 = 1024 rows): GELU on the MLP's hidden
 * (1024, 512), LayerNorm over d = 128 of (1024, 128) with γ and β, causal attention over 16 × 4
 * heads of (64, 32) queries, keys and values (the fused scaled softmax against the scale, −∞ mask
 * and softmax of the composite; both include the two products). Average time per call, forward
 * alone (no tape) and forward + backward (all inputs require gradients).
 *
 * <pre>
 *   impl = fused      Functional.gelu / layerNorm / attention (one fused primitive each)
 *          composite  Functional.geluReference / layerNormReference / attentionReference
 *   op   = gelu, layer_norm, attention
 *
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar \
 *        org.incipit.bench.FusedOpsBenchmark -wi 3 -i 5 -f 1 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class FusedOpsBenchmark {
  @Param({"fused", "composite"})
  public String impl;

  @Param({"gelu", "layer_norm", "attention"})
  public String op;

  private Tensor x;
  private Tensor weight;
  private Tensor bias;
  private Tensor gradOut;
  private Tensor q;
  private Tensor k;
  private Tensor v;

  @Setup
  public void setup() {
    if (!impl.equals("fused") && !impl.equals("composite")) {
      throw new IllegalArgumentException("impl must be fused or composite: " + impl);
    }
    Rng rng = Rng.seeded(1);
    int cols = switch (op) {
      case "gelu" -> 512;   // (B·T, 4d) after the MLP's first Linear
      case "layer_norm" -> 128;
      case "attention" -> 32; // (B·H·T, D): the heads' queries
      default -> throw new IllegalArgumentException("op must be gelu, layer_norm or attention: " + op);
    };
    q = Tensors.randn(rng.fork("q"), 64, 64, 32).withGrad(); // (B·H, T, D)
    k = Tensors.randn(rng.fork("k"), 64, 64, 32).withGrad();
    v = Tensors.randn(rng.fork("v"), 64, 64, 32).withGrad();
    x = Tensors.randn(rng.fork("x"), 1024, cols).withGrad();
    weight = Tensors.randn(rng.fork("w"), cols).mul(0.1).add(1.0).withGrad();
    bias = Tensors.randn(rng.fork("b"), cols).mul(0.1).withGrad();
    gradOut = op.equals("attention") ? Tensors.randn(rng.fork("g"), 64, 64, 32) : Tensors.randn(rng.fork("g"), 1024, cols);
  }

  private Tensor apply() {
    boolean fused = impl.equals("fused");
    int[] last = {x.size(-1)};
    if (op.equals("gelu")) {
      return fused ? Functional.gelu(x) : Functional.geluReference(x);
    }
    if (op.equals("attention")) {
      return fused ? Functional.attention(q, k, v, true) : Functional.attentionReference(q, k, v, true);
    }
    return fused ? Functional.layerNorm(x, last, weight, bias, 1e-5)
        : Functional.layerNormReference(x, last, weight, bias, 1e-5);
  }

  @Benchmark
  public Tensor forward() {
    return NoGrad.run(this::apply);
  }

  @Benchmark
  public Gradients forwardBackward() {
    return apply().backward(gradOut);
  }
}
