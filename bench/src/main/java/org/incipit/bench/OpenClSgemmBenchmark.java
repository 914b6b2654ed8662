package org.incipit.bench;

import java.util.concurrent.TimeUnit;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.opencl.ClGemm;
import org.incipit.tensor.opencl.OpenClBackend;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square single-precision GEMM on the OpenCL device, C = A·B with n × n matrices (2n³
 * floating-point operations), by the two kernels of {@link ClGemm}:
 *
 * <pre>
 *   kernel = NAIVE  one work-item per element of C, A and B read from global memory
 *            TILED  local-memory tiles and per-work-item register blocks (what matmul uses)
 * </pre>
 *
 * <p>Each call enqueues the product and waits for it ({@code finish}), so the time is the
 * device's; the operands stay on the device. Read the secondary result {@code sgemm:gflops}: work
 * in megaflops divided by milliseconds, that is GFLOP/s. The device is
 * {@link Device#selectedOpenCl()}: {@code INCIPIT_DEVICE=opencl:N}, else the first one.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar OpenClSgemmBenchmark \
 *        -wi 2 -i 5 -f 1 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class OpenClSgemmBenchmark {
  @Param({"256", "1024"})
  public int n;

  @Param({"NAIVE", "TILED"})
  public ClGemm.Variant kernel;

  private OpenClBackend cl;
  private Buffer a;
  private Buffer b;

  @Setup
  public void setUp() {
    cl = (OpenClBackend) Device.selectedOpenCl().orElseGet(Device::opencl).backend();
    a = cl.fromHost(DType.F32, Rng.seeded(1).normal(n * n));
    b = cl.fromHost(DType.F32, Rng.seeded(2).normal(n * n));
  }

  @TearDown
  public void tearDown() {
    a.close();
    b.close();
  }

  @Benchmark
  public void sgemm(Flops flops) {
    try (Buffer c = cl.gemm().matmul(kernel, a, b, n, n, n)) {
      cl.finish();
    }
    flops.add(2L * n * n * n);
  }
}
