package org.incipit.nn.kan;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Fans;
import org.incipit.init.Initializer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * efficient-kan's initialisation of spline coefficients (Blealtan/efficient-kan,
 * {@code KANLinear.reset_parameters} with {@code curve2coeff}): each edge's spline starts as a
 * small random curve. For every (out, in) pair draw values at the G + 1 knots of [lo, hi],
 * <pre>
 * ε_r = (U[0, 1) − ½) · scale_noise / G,   r = 0 … G
 * </pre>
 * and take the coefficients c (G + k of them) of minimum norm with Σ_i c_i B_i(t_{k+r}) = ε_r —
 * the solution torch.linalg.lstsq gives for this under-determined system:
 * <pre>c = Aᵀ(AAᵀ)⁻¹ε,   A_{r,i} = B_i(t_{k+r})   ((G + 1) × (G + k), full row rank for k ≥ 1)</pre>
 * Weight layout [out, in, G + k]; noise drawn in that order from {@code rng} (so the values are
 * not torch's, only their law is). Order k = 0 is rejected: its basis row at x = hi is zero.
 *
 * @param grid the grid of the layer
 * @param scaleNoise efficient-kan's scale_noise (default 0.1)
 */
public record SplineNoise(BSplineGrid grid, double scaleNoise) implements Initializer {
  public SplineNoise {
    if (grid.order() < 1) {
      throw new IllegalArgumentException("spline noise init: needs spline order ≥ 1, got " + grid.order());
    }
  }

  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    int n = grid.count();
    int points = grid.size() + 1;
    if (shape.rank() != 3 || shape.dim(2) != n) {
      throw new IllegalArgumentException("spline noise init: expected shape [out, in, " + n + "], got " + shape);
    }
    double[][] k = minimumNormSolver();
    int edges = shape.dim(0) * shape.dim(1);
    double[] u = rng.uniform(edges * points);
    double[] out = new double[edges * n];
    for (int e = 0; e < edges; e++) {
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int r = 0; r < points; r++) {
          s += k[i][r] * (u[e * points + r] - 0.5) * scaleNoise / grid.size();
        }
        out[e * n + i] = s;
      }
    }
    return Tensors.of(DType.F32, out, shape.dims());
  }

  /** K = Aᵀ(AAᵀ)⁻¹, (G + k) × (G + 1): c = K·ε. */
  double[][] minimumNormSolver() {
    int n = grid.count();
    int points = grid.size() + 1;
    double[] t = grid.knots();
    double[][] a = new double[points][n];
    for (int r = 0; r < points; r++) {
      for (int i = 0; i < n; i++) {
        a[r][i] = grid.basis(i, t[grid.order() + r]);
      }
    }
    double[][] gram = new double[points][points];
    for (int r = 0; r < points; r++) {
      for (int s = 0; s < points; s++) {
        for (int i = 0; i < n; i++) {
          gram[r][s] += a[r][i] * a[s][i];
        }
      }
    }
    double[][] inv = inverse(gram);
    double[][] k = new double[n][points];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < points; r++) {
        for (int s = 0; s < points; s++) {
          k[i][r] += a[s][i] * inv[s][r];
        }
      }
    }
    return k;
  }

  /** The inverse of a small non-singular matrix by Gauss–Jordan elimination with partial pivoting. */
  private static double[][] inverse(double[][] m) {
    int n = m.length;
    double[][] w = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, w[i], 0, n);
      w[i][n + i] = 1;
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        pivot = Math.abs(w[r][c]) > Math.abs(w[pivot][c]) ? r : pivot;
      }
      if (Math.abs(w[pivot][c]) < 1e-12) {
        throw new ArithmeticException("spline noise init: the interpolation system is singular");
      }
      double[] tmp = w[c];
      w[c] = w[pivot];
      w[pivot] = tmp;
      double d = w[c][c];
      for (int j = 0; j < 2 * n; j++) {
        w[c][j] /= d;
      }
      for (int r = 0; r < n; r++) {
        double f = w[r][c];
        if (r != c && f != 0) {
          for (int j = 0; j < 2 * n; j++) {
            w[r][j] -= f * w[c][j];
          }
        }
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(w[i], n, inv[i], 0, n);
    }
    return inv;
  }
}
