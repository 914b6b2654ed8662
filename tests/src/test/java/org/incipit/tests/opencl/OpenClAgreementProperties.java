package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.MemoryScope;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Gens;
import org.incipit.tests.OpCatalog;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * CPU and OpenCL agree within float32 tolerance on random shapes for every op of
 * {@link AgreementCatalog}, forward and backward: the output, and the gradient of
 * sum(output · G) for a random G with respect to every input. Shapes have rank 0–4 (at least the
 * op's minimum) and sizes 1–5; the second operand of a binary op is a random broadcast of the
 * first. Shapes, picks and seeds are drawn uniformly, without extra edge cases (the kernels' edge
 * cases are the conformance tests'). Seeds are pinned, so a failure
 * reproduces; after the run a coverage check asserts every op was drawn. Skipped, with the reason,
 * where no OpenCL device exists.
 */
class OpenClAgreementProperties {
  /** |opencl − cpu| ≤ ATOL + RTOL·|cpu|: float32 rounding, summed in different orders. */
  static final double ATOL = 2e-5;
  static final double RTOL = 1e-4;
  static final List<OpCatalog.Unary> UNARY = AgreementCatalog.unary();

  /** Rank 0–4, dimensions 1–5, uniform. */
  private static Gen<int[]> dims() {
    return Generate.intArrays(integers().between(0, 4), integers().between(1, 5)).describedAs(Arrays::toString);
  }

  @Test
  void unaryOpsAgreeForwardAndBackward() {
    OpenClDevices.require();
    Map<String, Integer> drawn = new HashMap<>();
    qt().withFixedSeed(20260411L).withExamples(800)
        .forAll(Generate.pick(UNARY), dims(), integers().all(), longs().all())
        .assuming((op, dims, pick, seed) -> dims.length >= op.minRank())
        .checkAssert((op, dims, pick, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor x = input(Shape.of(dims), op.domain(), rng.fork("x"));
          agree(op.name() + " " + x.shape() + " pick " + pick + " seed " + seed, (a, b) -> op.f().apply(a, pick), rng, x);
          drawn.merge(op.name(), 1, Integer::sum);
        });
    OpCatalog.assertCoverage(drawn, UNARY.stream().map(OpCatalog.Unary::name).toList(), 3);
  }

  @Test
  void binaryOpsAgreeForwardAndBackward() {
    OpenClDevices.require();
    Gen<Gens.Broadcast> shapes = dims().flatMap(d -> Gens.broadcastableTo(Shape.of(d))
        .map(small -> new Gens.Broadcast(Shape.of(d), Shape.of(d), small)));
    qt().withFixedSeed(20260412L).withExamples(200)
        .forAll(Generate.pick(OpCatalog.BINARY), shapes, longs().all())
        .checkAssert((op, s, seed) -> {
          Rng rng = Rng.seeded(seed);
          Tensor a = input(s.out(), op.domainA(), rng.fork("a"));
          Tensor b = input(s.b(), op.domainB(), rng.fork("b"));
          agree(op.name() + " " + a.shape() + " with " + b.shape() + " seed " + seed, op.f(), rng, a, b);
        });
  }

  /** F32 values of {@code domain} on the CPU. */
  private static Tensor input(Shape shape, Gens.Domain domain, Rng rng) {
    return Gens.values(shape, domain, rng).cast(DType.F32);
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
