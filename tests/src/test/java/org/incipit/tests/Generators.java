package org.incipit.tests;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/** Shapes and values for the property tests: rank 0–4, dimensions 1–5, values from the Rng. */
public final class Generators {
  private Generators() {}

  /** Shapes of rank 0–4 with dimensions 1–5. */
  public static Arbitrary<int[]> shapes() {
    return Arbitraries.integers().between(1, 5).array(int[].class).ofMinSize(0).ofMaxSize(4);
  }

  /** A F64 tensor of {@code shape} with values in {@code domain}, drawn from {@code rng}. */
  public static Tensor values(Shape shape, OpCatalog.Domain domain, Rng rng) {
    int n = shape.numel();
    double[] u = rng.uniform(n);
    double[] v = new double[n];
    switch (domain) {
      case ANY -> {
        for (int i = 0; i < n; i++) {
          v[i] = 4 * u[i] - 2;
        }
      }
      case POSITIVE -> {
        for (int i = 0; i < n; i++) {
          v[i] = 0.3 + 2 * u[i];
        }
      }
      case AWAY_FROM_ZERO -> {
        double[] s = rng.fork("sign").uniform(n);
        for (int i = 0; i < n; i++) {
          v[i] = (s[i] < 0.5 ? -1 : 1) * (0.1 + 1.9 * u[i]);
        }
      }
      case DISTINCT -> {
        int[] perm = rng.fork("perm").permutation(n);
        for (int i = 0; i < n; i++) {
          v[i] = (perm[i] - n / 2.0) * 0.1 + 0.04 * u[i]; // neighbours differ by ≥ 0.06
        }
      }
    }
    return Tensors.of(DType.F64, v, shape.dims());
  }

  /**
   * A shape that broadcasts to {@code out}: a random number of leading axes dropped and each
   * remaining axis kept or set to 1, as chosen by {@code rng}.
   */
  public static Shape broadcastable(Shape out, Rng rng) {
    double[] u = rng.uniform(out.rank() + 1);
    int drop = (int) (u[0] * (out.rank() + 1));
    int[] d = new int[out.rank() - drop];
    for (int i = 0; i < d.length; i++) {
      d[i] = u[i + 1] < 0.3 ? 1 : out.dim(i + drop);
    }
    return Shape.of(d);
  }
}
