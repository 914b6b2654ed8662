package org.incipit.bench;

import java.util.concurrent.TimeUnit;
import org.incipit.autograd.Functional;
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
 * Micro-benchmarks of the engine outside GEMM, average time per call: elementwise kernels (a
 * simple one and a transcendental one), a broadcast binary op, reductions (full and along the last
 * axis), a row softmax, and the per-op overhead of a recorded one-element op.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar org.incipit.bench.OpsBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class OpsBenchmark {
  /** Elements of the big operands (a 1024 × 1024 tensor by default). */
  @Param({"1048576"})
  public int size;

  private Tensor x;
  private Tensor y;
  private Tensor bias;
  private Tensor rows;
  private Tensor one;
  private Tensor other;
  private Tensor positive;

  @Setup
  public void setup() {
    Rng rng = Rng.seeded(1);
    x = Tensors.randn(rng.fork("x"), size / 1024, 1024);
    y = Tensors.randn(rng.fork("y"), size / 1024, 1024);
    bias = Tensors.randn(rng.fork("b"), 1024);
    rows = Tensors.randn(rng.fork("r"), size / 64, 64);
    one = Tensors.ones(1).withGrad();
    other = Tensors.ones(1);
    positive = y.abs();
  }

  @Benchmark
  public Tensor add() {
    return x.add(y);
  }

  @Benchmark
  public Tensor addBroadcastBias() {
    return x.add(bias);
  }

  @Benchmark
  public Tensor exp() {
    return x.exp();
  }

  @Benchmark
  public Tensor log() {
    return positive.log();
  }

  @Benchmark
  public Tensor tanh() {
    return x.tanh();
  }

  @Benchmark
  public Tensor sigmoid() {
    return x.sigmoid();
  }

  @Benchmark
  public Tensor sin() {
    return x.sin();
  }

  @Benchmark
  public Tensor gelu() {
    return NoGrad.run(() -> Functional.gelu(x));
  }

  @Benchmark
  public Tensor sumAll() {
    return x.sum();
  }

  @Benchmark
  public Tensor sumLastAxis() {
    return x.sum(-1);
  }

  @Benchmark
  public Tensor softmaxRows() {
    return NoGrad.run(() -> Functional.softmax(rows, -1));
  }

  /** One recorded one-element addition: the per-op overhead of the tape. */
  @Benchmark
  public Tensor recordedScalarAdd() {
    return one.add(other);
  }
}
