package org.incipit.autograd;

import java.util.function.Function;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * Checks analytic gradients against central differences, in float64 only (float32 differences
 * false-fail; PyTorch's gradcheck has the same rule).
 *
 * <p>For a function f of tensors and a random upstream gradient v, the analytic vector–Jacobian
 * product ∂⟨f(x), v⟩/∂x from {@code backward(v)} must match
 * <pre>(⟨f(x + εeⱼ), v⟩ − ⟨f(x − εeⱼ), v⟩) / 2ε</pre>
 * element by element within {@code atol + rtol·|numeric|}; and the product must be linear in v:
 * VJP(αv₁ + βv₂) = α·VJP(v₁) + β·VJP(v₂). Floating inputs are checked; integer inputs are passed
 * through as constants. Inputs are converted to F64 first.
 */
public final class GradCheck {
  private GradCheck() {}

  /** Step and tolerances; {@link #float64()} gives PyTorch's defaults. */
  public record Options(double eps, double atol, double rtol, long seed) {
    public static Options float64() {
      return new Options(1e-6, 1e-5, 1e-3, 1234);
    }

    public Options withTolerance(double atol, double rtol) {
      return new Options(eps, atol, rtol, seed);
    }
  }

  /** Checks every element of every floating input, then linearity in the upstream gradient. */
  public static void assertMatches(Function<Tensor[], Tensor> f, Tensor[] inputs, Options o) {
    Tensor[] x = toF64Leaves(inputs);
    Tensor y = f.apply(x);
    Rng rng = Rng.seeded(o.seed());
    Tensor v = Tensors.of(DType.F64, rng.fork("v").normal(y.numel()), y.shape(), y.device());
    Tensor[] analytic = vjp(x, y, v);
    for (int i = 0; i < x.length; i++) {
      if (!x[i].dtype().isFloating()) {
        continue;
      }
      double[] a = analytic[i].toDoubles();
      double[] base = x[i].toDoubles();
      for (int j = 0; j < base.length; j++) {
        double numeric = (dot(f, x, i, base, j, o.eps(), v) - dot(f, x, i, base, j, -o.eps(), v)) / (2 * o.eps());
        if (!(Math.abs(a[j] - numeric) <= o.atol() + o.rtol() * Math.abs(numeric))) {
          throw new AssertionError("gradcheck: input " + i + " " + x[i].shape() + ", element " + j
              + ": analytic " + a[j] + " vs numeric " + numeric + " (atol " + o.atol() + ", rtol " + o.rtol() + ")");
        }
      }
    }
    assertLinear(f, x, y, rng, o);
  }

  /** Checks only that the vector–Jacobian product of f at {@code inputs} is linear in v. */
  public static void assertLinear(Function<Tensor[], Tensor> f, Tensor[] inputs, Options o) {
    Tensor[] x = toF64Leaves(inputs);
    assertLinear(f, x, f.apply(x), Rng.seeded(o.seed()), o);
  }

  /**
   * Fast mode: one directional derivative per call instead of one per element. For random u the
   * analytic Σᵢ⟨VJPᵢ(v), uᵢ⟩ must match (⟨f(x + εu), v⟩ − ⟨f(x − εu), v⟩) / 2ε; then linearity
   * in the upstream gradient, as {@link #assertMatches}.
   */
  public static void assertMatchesFast(Function<Tensor[], Tensor> f, Tensor[] inputs, Options o) {
    Tensor[] x = toF64Leaves(inputs);
    Tensor y = f.apply(x);
    Rng rng = Rng.seeded(o.seed());
    Tensor v = Tensors.of(DType.F64, rng.fork("v").normal(y.numel()), y.shape(), y.device());
    Tensor[] analytic = vjp(x, y, v);
    double expected = 0;
    Tensor[] plus = x.clone();
    Tensor[] minus = x.clone();
    for (int i = 0; i < x.length; i++) {
      if (!x[i].dtype().isFloating()) {
        continue;
      }
      double[] u = rng.fork("u").fork(i).normal(x[i].numel());
      double[] a = analytic[i].toDoubles();
      double[] base = x[i].toDoubles();
      double[] p = base.clone();
      double[] m = base.clone();
      for (int j = 0; j < u.length; j++) {
        expected += a[j] * u[j];
        p[j] += o.eps() * u[j];
        m[j] -= o.eps() * u[j];
      }
      plus[i] = Tensors.of(DType.F64, p, x[i].shape(), x[i].device());
      minus[i] = Tensors.of(DType.F64, m, x[i].shape(), x[i].device());
    }
    double numeric = (inner(f.apply(plus), v) - inner(f.apply(minus), v)) / (2 * o.eps());
    if (!(Math.abs(expected - numeric) <= o.atol() + o.rtol() * Math.abs(numeric))) {
      throw new AssertionError("gradcheck (fast): analytic vᵀJu " + expected + " vs numeric " + numeric);
    }
    assertLinear(f, x, y, rng, o);
  }

  private static void assertLinear(Function<Tensor[], Tensor> f, Tensor[] x, Tensor y, Rng rng, Options o) {
    Tensor v1 = Tensors.of(DType.F64, rng.fork("v1").normal(y.numel()), y.shape(), y.device());
    Tensor v2 = Tensors.of(DType.F64, rng.fork("v2").normal(y.numel()), y.shape(), y.device());
    double alpha = 0.75;
    double beta = -1.5;
    Tensor[] g1 = vjp(x, y, v1);
    Tensor[] g2 = vjp(x, y, v2);
    Tensor[] g12 = vjp(x, y, v1.mul(alpha).add(v2.mul(beta)));
    for (int i = 0; i < x.length; i++) {
      if (g12[i] == null) {
        continue;
      }
      double[] got = g12[i].toDoubles();
      double[] want = g1[i].mul(alpha).add(g2[i].mul(beta)).toDoubles();
      for (int j = 0; j < got.length; j++) {
        if (!(Math.abs(got[j] - want[j]) <= o.atol() + o.rtol() * Math.abs(want[j]))) {
          throw new AssertionError("gradcheck: the vector-Jacobian product is not linear in the upstream gradient: input "
              + i + ", element " + j + ": " + got[j] + " vs " + want[j]);
        }
      }
    }
  }

  private static Tensor[] toF64Leaves(Tensor[] inputs) {
    Tensor[] x = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      x[i] = inputs[i].dtype().isFloating() ? inputs[i].detach().cast(DType.F64).contiguous().withGrad() : inputs[i];
    }
    return x;
  }

  /** The analytic gradient of ⟨y, v⟩ for each floating input (zeros where it is not reached). */
  private static Tensor[] vjp(Tensor[] x, Tensor y, Tensor v) {
    Gradients g = y.backward(v);
    Tensor[] out = new Tensor[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].dtype().isFloating() ? g.orZeros(x[i]) : null;
    }
    return out;
  }

  private static double dot(Function<Tensor[], Tensor> f, Tensor[] x, int i, double[] base, int j, double delta, Tensor v) {
    double[] moved = base.clone();
    moved[j] += delta;
    Tensor[] args = x.clone();
    args[i] = Tensors.of(DType.F64, moved, x[i].shape(), x[i].device());
    return inner(f.apply(args), v);
  }

  private static double inner(Tensor y, Tensor v) {
    double[] a = y.toDoubles();
    double[] b = v.toDoubles();
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
