package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.MemoryScope;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.tests.opencl.AgreementCatalog.Domain;
import org.incipit.tests.opencl.AgreementCatalog.Op;

/**
 * CPU and OpenCL agree within float32 tolerance on random shapes for every op of
 * {@link AgreementCatalog}, forward and backward: the output, and the gradient of
 * sum(output · G) for a random G with respect to every input. Shapes have rank 0–4 (at least the
 * op's minimum) and sizes 1–5; the second operand of a binary op is a random broadcast of the first
 * shape. The seed is pinned, so a failure is reproducible.
 */
@AddLifecycleHook(SkipWithoutOpenCl.class)
class OpenClAgreementProperties {
  /** |opencl − cpu| ≤ ATOL + RTOL·|cpu|: float32 rounding, summed in different orders. */
  static final double ATOL = 2e-5;
  static final double RTOL = 1e-4;

  /** One generated case: the op, the first operand's shape, a broadcast mask for the second, a seed. */
  record Case(Op op, int[] shape, boolean[] ones, int drop, long seed) {
    @Override
    public String toString() {
      return op + " " + Arrays.toString(shape) + (op.arity() == 2 ? " with " + Arrays.toString(second()) : "")
          + " seed " + seed;
    }

    /** The broadcast partner: leading axes dropped, some others set to 1. */
    int[] second() {
      int[] s = Arrays.copyOfRange(shape, Math.min(drop, shape.length), shape.length);
      int off = shape.length - s.length;
      for (int i = 0; i < s.length; i++) {
        if (ones[i + off]) {
          s[i] = 1;
        }
      }
      return s;
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Op> ops = Arbitraries.of(AgreementCatalog.OPS);
    return ops.flatMap(op -> Combinators.combine(
        Arbitraries.integers().between(1, 5).array(int[].class).ofMinSize(op.minRank()).ofMaxSize(4),
        Arbitraries.of(true, false, false).array(boolean[].class).ofSize(4),
        Arbitraries.integers().between(0, 2),
        Arbitraries.longs()).as((shape, ones, drop, seed) -> new Case(op, shape, ones, drop, seed)));
  }

  @Property(tries = 800, seed = "20260411", edgeCases = EdgeCasesMode.NONE)
  void everyOpAgreesOnCpuAndOpenClForwardAndBackward(@ForAll("cases") Case c) {
    Device cl = OpenClDevices.require();
    Statistics.label("op").collect(c.op().name());
    Statistics.label("rank").collect(c.shape().length);
    Rng rng = Rng.seeded(c.seed());
    Tensor a = input(c.op().domain(), c.shape(), rng.fork("a"));
    Tensor b = c.op().arity() == 2 ? input(c.op().domain(), c.second(), rng.fork("b")) : null;
    MemoryScope scope = MemoryScope.open(); // releases this try's device buffers
    try {
      Result cpu = run(c, a, b, Device.cpu(), rng);
      Result gpu = run(c, a, b, cl, rng);
      assertClose(cpu.out, gpu.out, c + ": output");
      for (int i = 0; i < cpu.grads.size(); i++) {
        assertClose(cpu.grads.get(i), gpu.grads.get(i), c + ": gradient of input " + i);
      }
    } finally {
      scope.close();
    }
  }

  private record Result(double[] out, List<double[]> grads) {}

  /** The op's output and the gradients of sum(out · G) on {@code device}, read back to the host. */
  private static Result run(Case c, Tensor a, Tensor b, Device device, Rng rng) {
    Tensor x = a.to(device).withGrad();
    Tensor y = b == null ? null : b.to(device).withGrad();
    Tensor out = c.op().f().apply(x, y);
    Tensor g = Tensors.of(DType.F32, rng.fork("g").normal(out.numel()), out.shape(), device);
    Gradients grads = out.backward(g);
    List<double[]> values = y == null ? List.of(grads.orZeros(x).toDoubles())
        : List.of(grads.orZeros(x).toDoubles(), grads.orZeros(y).toDoubles());
    return new Result(out.toDoubles(), values);
  }

  /** Values of {@code domain} in {@code shape} on the CPU. */
  static Tensor input(Domain domain, int[] shape, Rng rng) {
    int n = Shape.of(shape).numel();
    double[] v = switch (domain) {
      case ANY -> rng.uniform(n, -2, 2);
      case POSITIVE -> rng.uniform(n, 0.3, 2.3);
      case AWAY_FROM_ZERO -> rng.uniform(n, 0.1, 2);
      case DISTINCT -> distinct(n, rng);
    };
    if (domain == Domain.AWAY_FROM_ZERO) {
      double[] signs = rng.fork("sign").uniform(n);
      for (int i = 0; i < n; i++) {
        v[i] = signs[i] < 0.5 ? -v[i] : v[i];
      }
    }
    return Tensors.of(DType.F32, v, shape);
  }

  /** n values at least 0.05 apart, in random order. */
  private static double[] distinct(int n, Rng rng) {
    int[] p = rng.permutation(n);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (p[i] - n / 2.0) * 0.1;
    }
    return v;
  }

  private static void assertClose(double[] want, double[] got, String what) {
    assertEquals(want.length, got.length, what + ": size");
    for (int i = 0; i < want.length; i++) {
      double tol = ATOL + RTOL * Math.abs(want[i]);
      assertTrue(Math.abs(got[i] - want[i]) <= tol || (Double.isNaN(want[i]) && Double.isNaN(got[i])),
          what + ": element " + i + " cpu " + want[i] + " opencl " + got[i]);
    }
  }
}
