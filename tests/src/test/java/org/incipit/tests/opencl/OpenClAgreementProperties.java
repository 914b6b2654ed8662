package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
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
import org.incipit.tests.Generators;
import org.incipit.tests.OpCatalog;

/**
 * CPU and OpenCL agree within float32 tolerance on random shapes for every op of
 * {@link AgreementCatalog}, forward and backward: the output, and the gradient of
 * sum(output · G) for a random G with respect to every input. Shapes have rank 0–4 (at least the
 * op's minimum) and sizes 1–5; the second operand of a binary op is a random broadcast of the
 * first. Seeds are pinned, so a failure reproduces; a coverage check asserts every op was drawn.
 */
@AddLifecycleHook(SkipWithoutOpenCl.class)
class OpenClAgreementProperties {
  /** |opencl − cpu| ≤ ATOL + RTOL·|cpu|: float32 rounding, summed in different orders. */
  static final double ATOL = 2e-5;
  static final double RTOL = 1e-4;
  static final List<OpCatalog.Unary> UNARY = AgreementCatalog.unary();

  @Provide
  Arbitrary<OpCatalog.Unary> unaryOps() {
    return Arbitraries.of(UNARY);
  }

  @Provide
  Arbitrary<OpCatalog.Binary> binaryOps() {
    return Arbitraries.of(OpCatalog.BINARY);
  }

  @Provide
  Arbitrary<int[]> shapes() {
    return Generators.shapes();
  }

  @Property(tries = 800, seed = "20260411", edgeCases = EdgeCasesMode.NONE)
  void unaryOpsAgreeForwardAndBackward(@ForAll("unaryOps") OpCatalog.Unary op, @ForAll("shapes") int[] dims,
                                       @ForAll int pick, @ForAll long seed) {
    Assume.that(dims.length >= op.minRank());
    Rng rng = Rng.seeded(seed);
    Tensor x = input(Shape.of(dims), op.domain(), rng.fork("x"));
    agree(op.name() + " " + x.shape() + " pick " + pick + " seed " + seed, (a, b) -> op.f().apply(a, pick), rng, x);
    Statistics.collect(op.name());
    Statistics.coverage(c -> UNARY.forEach(u -> c.check(u.name()).count(n -> n >= 3)));
  }

  @Property(tries = 200, seed = "20260412", edgeCases = EdgeCasesMode.NONE)
  void binaryOpsAgreeForwardAndBackward(@ForAll("binaryOps") OpCatalog.Binary op, @ForAll("shapes") int[] dims,
                                        @ForAll long seed) {
    Rng rng = Rng.seeded(seed);
    Shape out = Shape.of(dims);
    Tensor a = input(out, op.domainA(), rng.fork("a"));
    Tensor b = input(Generators.broadcastable(out, rng.fork("shape")), op.domainB(), rng.fork("b"));
    agree(op.name() + " " + a.shape() + " with " + b.shape() + " seed " + seed, op.f(), rng, a, b);
    Statistics.collect(op.name());
  }

  /** F32 values of {@code domain} on the CPU. */
  private static Tensor input(Shape shape, OpCatalog.Domain domain, Rng rng) {
    return Generators.values(shape, domain, rng).cast(DType.F32);
  }

  /** Runs {@code f} on both devices and compares the outputs and the gradients of every input. */
  private static void agree(String what, BiFunction<Tensor, Tensor, Tensor> f, Rng rng, Tensor... inputs) {
    Device cl = OpenClDevices.require();
    MemoryScope scope = MemoryScope.open(); // releases this try's device buffers
    try {
      List<double[]> cpu = run(f, inputs, Device.cpu(), rng);
      List<double[]> gpu = run(f, inputs, cl, rng);
      for (int i = 0; i < cpu.size(); i++) {
        assertClose(cpu.get(i), gpu.get(i), what + (i == 0 ? ": output" : ": gradient of input " + (i - 1)));
      }
    } finally {
      scope.close();
    }
  }

  /** The output and the gradients of sum(out · G) on {@code device}, read back to the host. */
  private static List<double[]> run(BiFunction<Tensor, Tensor, Tensor> f, Tensor[] inputs, Device device, Rng rng) {
    Tensor[] in = new Tensor[inputs.length];
    for (int i = 0; i < in.length; i++) {
      in[i] = inputs[i].to(device).withGrad();
    }
    Tensor out = f.apply(in[0], in.length > 1 ? in[1] : null);
    Tensor g = Tensors.of(DType.F32, rng.fork("g").normal(out.numel()), out.shape(), device);
    Gradients grads = out.backward(g);
    List<double[]> values = new ArrayList<>(List.of(out.toDoubles()));
    for (Tensor t : in) {
      values.add(grads.orZeros(t).toDoubles());
    }
    return values;
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
