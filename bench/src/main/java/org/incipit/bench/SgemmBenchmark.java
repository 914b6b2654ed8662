package org.incipit.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.incipit.tensor.cpu.PlainSgemm;
import org.incipit.tensor.cpu.VectorSgemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square single-precision GEMM, C = A·B with n × n matrices: 2n³ floating-point operations.
 *
 * <pre>
 *   impl = plain   PlainSgemm (auto-vectorised Java loops, parallel)
 *          vector  VectorSgemm (jdk.incubator.vector micro-kernel, parallel)
 *          ejml    EJML CommonOps_FDRM.mult (single-threaded reference)
 * </pre>
 *
 * <p>Read the secondary result {@code sgemm:gflops}: the {@link Flops} counter holds the work
 * done in megaflops (2n³ flops per call) and JMH divides it by milliseconds, so its "ops/ms" are
 * GFLOP/s. The primary score is calls per millisecond. Thread count:
 * {@code -jvmArgsPrepend -Dincipit.threads=N} (a command-line -jvmArgsAppend would replace the
 * module flag below).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar \
 *        org.incipit.bench.SgemmBenchmark \
 *        -wi 3 -i 5 -f 1 -w 1s -r 1s -p n=128,256,1024 -p impl=plain,vector
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SgemmBenchmark {
  @Param({"128", "256", "512", "1024", "2048"})
  public int n;

  @Param({"plain", "vector", "ejml"})
  public String impl;

  private float[] a;
  private float[] b;
  private float[] c;
  private FMatrixRMaj ea;
  private FMatrixRMaj eb;
  private FMatrixRMaj ec;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(42);
    a = new float[n * n];
    b = new float[n * n];
    c = new float[n * n];
    for (int i = 0; i < n * n; i++) {
      a[i] = (float) (rng.nextDouble() * 2 - 1);
      b[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    ea = FMatrixRMaj.wrap(n, n, a);
    eb = FMatrixRMaj.wrap(n, n, b);
    ec = FMatrixRMaj.wrap(n, n, c);
    if (!impl.equals("plain") && !impl.equals("vector") && !impl.equals("ejml")) {
      throw new IllegalArgumentException("impl must be plain, vector or ejml: " + impl);
    }
  }

  @Benchmark
  public float[] sgemm(Flops flops) {
    switch (impl) {
      case "plain" -> PlainSgemm.sgemm(false, false, n, n, n, a, 0, b, 0, c, 0);
      case "vector" -> VectorSgemm.sgemm(false, false, n, n, n, a, 0, b, 0, c, 0);
      default -> CommonOps_FDRM.mult(ea, eb, ec);
    }
    flops.add(2L * n * n * n);
    return c;
  }
}
