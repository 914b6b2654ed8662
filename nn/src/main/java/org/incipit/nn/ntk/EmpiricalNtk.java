package org.incipit.nn.ntk;

import java.util.Collection;
import java.util.function.UnaryOperator;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Parameter;

/**
 * The empirical neural tangent kernel of a scalar-output model at its current parameters
 * (Jacot, Gabriel, Hongler 2018, arXiv:1806.07572, §4):
 * <pre>
 * Θ̂(x, x′) = Σ_p ∂f(x)/∂θ_p · ∂f(x′)/∂θ_p = (J·Jᵀ)(x, x′),   J (P × #params)
 * </pre>
 * One backward pass per example gives one row of J (the gradient of f(x_i) with respect to every
 * parameter, flattened in the order of {@code params}); Θ̂ is accumulated in float64. The
 * result is symmetric positive semi-definite by construction.
 *
 * <pre>{@code
 * double[][] theta = EmpiricalNtk.kernel(net.parameters(), net::forward, x);   // x (P, n₀), f (1, 1) per row
 * }</pre>
 * Held by {@code NtkPropertiesTest} (tests: symmetric PSD, agreement with {@link ReluNtk} as the
 * width grows).
 */
public final class EmpiricalNtk {
  private EmpiricalNtk() {}

  /** The Jacobian J (P × #params) of f at the rows of x (P, d); f maps a (1, d) row to one value. */
  public static double[][] jacobian(Collection<Parameter> params, UnaryOperator<Tensor> f, Tensor x) {
    if (x.rank() != 2) {
      throw new IllegalArgumentException("empirical ntk: needs inputs (P, d), got " + x.shape());
    }
    int p = (int) x.size(0);
    double[][] j = new double[p][];
    for (int i = 0; i < p; i++) {
      Tensor out = f.apply(x.slice(0, i, i + 1));        // (1, 1)
      if (out.numel() != 1) {
        throw new IllegalArgumentException("empirical ntk: the model must give one value per example, got "
            + out.shape());
      }
      Gradients g = out.sum().backward();
      int total = 0;
      for (Parameter q : params) {
        total += q.value().numel();
      }
      double[] row = new double[total];
      int at = 0;
      for (Parameter q : params) {
        double[] gq = g.orZeros(q.value()).toDoubles();
        System.arraycopy(gq, 0, row, at, gq.length);
        at += gq.length;
      }
      j[i] = row;
    }
    return j;
  }

  /** Θ̂ = J·Jᵀ (P × P). */
  public static double[][] kernel(Collection<Parameter> params, UnaryOperator<Tensor> f, Tensor x) {
    double[][] j = jacobian(params, f, x);
    int p = j.length;
    double[][] k = new double[p][p];
    for (int a = 0; a < p; a++) {
      for (int b = a; b < p; b++) {
        double s = 0;
        for (int i = 0; i < j[a].length; i++) {
          s += j[a][i] * j[b][i];
        }
        k[a][b] = s;
        k[b][a] = s;
      }
    }
    return k;
  }
}
