package org.incipit.nn.kan;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Shape;

/**
 * A uniform B-spline grid of a KAN layer (Liu et al. 2024, "KAN: Kolmogorov–Arnold Networks",
 * arXiv:2404.19756; the layout of efficient-kan, Blealtan/efficient-kan): G intervals of width
 * h = (hi − lo)/G on [lo, hi], extended by k knots on each side, and the G + k B-spline bases of
 * order (degree) k on it.
 * <pre>
 * knots  t_i = lo + (i − k)·h,   i = 0 … G + 2k
 * B_{i,0}(x) = 1 if t_i ≤ x &lt; t_{i+1} else 0                                   (half-open)
 * B_{i,p}(x) = (x − t_i)/(t_{i+p} − t_i)·B_{i,p−1}(x) + (t_{i+p+1} − x)/(t_{i+p+1} − t_{i+1})·B_{i+1,p−1}(x)
 * </pre>
 * (the Cox–de Boor recursion). Properties: each B_{i,k} is a piecewise polynomial of degree k,
 * non-negative, supported on [t_i, t_{i+k+1}); on [lo, hi] the G + k bases sum to 1 (partition of
 * unity; on [lo, hi) for k = 0, whose intervals are half-open and not extended); outside
 * [t_0, t_{G+2k}) they all vanish.
 *
 * <p>Convention at knots: the order-0 intervals are half-open, so at a knot x = t_j the piece on
 * [t_j, t_{j+1}) is used (bases are right-continuous). For k ≥ 1 the bases are continuous, so only
 * derivatives see the convention: the gradient at a knot is the right-hand derivative (for k ≥ 2
 * the derivative is continuous and the convention is invisible).
 *
 * <p>{@link #bases(Tensor)} is the recursion in Tensor ops — comparisons give masks, cast to the
 * input's dtype, then products and differences with constant knots — so gradients with respect to
 * x (and to whatever multiplies the bases) come from the engine. {@link #basis(int, double)} is the
 * same recursion in plain double arithmetic, the reference the Tensor form is tested against.
 *
 * @param size G, the number of intervals on [lo, hi]
 * @param order k, the spline degree (3: cubic)
 * @param lo left end of the grid range
 * @param hi right end of the grid range
 */
public record BSplineGrid(int size, int order, double lo, double hi) {
  public BSplineGrid {
    if (size < 1 || order < 0 || !(hi > lo)) {
      throw new IllegalArgumentException("b-spline grid: needs G ≥ 1, k ≥ 0 and lo < hi, got G=" + size + ", k=" + order
          + ", [" + lo + ", " + hi + "]");
    }
  }

  /** efficient-kan's default: G = 5, k = 3 on [−1, 1]. */
  public static BSplineGrid defaults() {
    return new BSplineGrid(5, 3, -1, 1);
  }

  /** Number of bases, G + k. */
  public int count() {
    return size + order;
  }

  /** The G + 2k + 1 knots t_i = lo + (i − k)·h. */
  public double[] knots() {
    double h = (hi - lo) / size;
    double[] t = new double[size + 2 * order + 1];
    for (int i = 0; i < t.length; i++) {
      t[i] = lo + (i - order) * h;
    }
    return t;
  }

  /** The bases of order k at every element of {@code x} (floating): x.shape + (G + k). */
  public Tensor bases(Tensor x) {
    if (!x.dtype().isFloating()) {
      throw new IllegalArgumentException("b-spline bases: x must be floating, got " + x.dtype());
    }
    double[] t = knots();
    int m = t.length - 1; // order-0 intervals
    Tensor xe = x.unsqueeze(-1); // (…, 1)
    Tensor b = xe.ge(constant(x, t, 0, m)).cast(x.dtype())
        .mul(xe.lt(constant(x, t, 1, m)).cast(x.dtype())); // (…, m): indicator of [t_i, t_{i+1})
    for (int p = 1; p <= order; p++) {
      int n = m - p; // bases of order p
      Tensor left = xe.sub(constant(x, t, 0, n)).mul(reciprocalGap(x, t, 0, p, n));   // (x − t_i)/(t_{i+p} − t_i)
      Tensor right = constant(x, t, p + 1, n).sub(xe).mul(reciprocalGap(x, t, 1, p, n)); // (t_{i+p+1} − x)/(t_{i+p+1} − t_{i+1})
      b = left.mul(b.slice(-1, 0, n)).add(right.mul(b.slice(-1, 1, n + 1))); // (…, n)
    }
    return b; // (…, G + k)
  }

  /** B_{i,k}(x) by the recursion in double precision (the reference of {@link #bases}). */
  public double basis(int i, double x) {
    if (i < 0 || i >= count()) {
      throw new IndexOutOfBoundsException("b-spline basis " + i + " is out of range for " + count() + " bases");
    }
    return basis(knots(), i, order, x);
  }

  private static double basis(double[] t, int i, int p, double x) {
    if (p == 0) {
      return t[i] <= x && x < t[i + 1] ? 1 : 0;
    }
    return (x - t[i]) / (t[i + p] - t[i]) * basis(t, i, p - 1, x)
        + (t[i + p + 1] - x) / (t[i + p + 1] - t[i + 1]) * basis(t, i + 1, p - 1, x);
  }

  /** Knots t[from], …, t[from + n − 1] as a constant of x's dtype and device. */
  private static Tensor constant(Tensor x, double[] t, int from, int n) {
    double[] v = java.util.Arrays.copyOfRange(t, from, from + n);
    return Tensors.of(x.dtype(), v, Shape.of(n), x.device());
  }

  /** 1/(t_{from+i+p} − t_{from+i}) for i = 0 … n − 1, as a constant. */
  private static Tensor reciprocalGap(Tensor x, double[] t, int from, int p, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 1 / (t[from + i + p] - t[from + i]);
    }
    return Tensors.of(x.dtype(), v, Shape.of(n), x.device());
  }
}
