package org.incipit.autograd;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.tensor.DType;
import org.incipit.tensor.Kernel;
import org.junit.jupiter.api.Test;

class GradCheckTest {
  private static final Tensor X = Tensors.of(DType.F64, new double[] {0.3, -0.7, 1.1}, 3);

  @Test
  void passesForACorrectComposite() {
    assertDoesNotThrow(() -> GradCheck.assertMatches(
        in -> in[0].tanh().mul(in[0].exp()).sum(), new Tensor[] {X}, GradCheck.Options.float64()));
    assertDoesNotThrow(() -> GradCheck.assertMatchesFast(
        in -> in[0].tanh().mul(in[0].exp()), new Tensor[] {X}, GradCheck.Options.float64()));
  }

  /** An op whose rule claims d(x³)/dx = 2x²: the check must catch it, in both modes. */
  @Test
  void catchesAWrongRule() {
    Kernel.Unary cube = Kernel.unary("cube", (a, s) -> a * a * a, "a*a*a");
    java.util.function.Function<Tensor[], Tensor> f = in -> {
      Tensor x = in[0].contiguous();
      return Tensor.record("cube", x.backend().unary(cube, x.buffer(), 0), x.shape(),
          (gy, y, ins) -> new Tensor[] {gy.mul(ins[0].square().mul(2.0))}, x);
    };
    AssertionError e = assertThrows(AssertionError.class,
        () -> GradCheck.assertMatches(f, new Tensor[] {X}, GradCheck.Options.float64()));
    assertTrue(e.getMessage().contains("analytic"), e.getMessage());
    assertThrows(AssertionError.class, () -> GradCheck.assertMatchesFast(f, new Tensor[] {X}, GradCheck.Options.float64()));
  }

  /** A rule that adds a constant is not linear in the upstream gradient. */
  @Test
  void catchesANonLinearVectorJacobianProduct() {
    java.util.function.Function<Tensor[], Tensor> f = in -> {
      Tensor x = in[0].contiguous();
      return Tensor.record("affine", x.buffer(), x.layout(),
          (gy, y, ins) -> new Tensor[] {gy.add(gy.square().mul(1e-3))}, x);
    };
    AssertionError e = assertThrows(AssertionError.class,
        () -> GradCheck.assertLinear(f, new Tensor[] {X}, GradCheck.Options.float64()));
    assertTrue(e.getMessage().contains("not linear"), e.getMessage());
  }
}
