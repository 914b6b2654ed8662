package org.incipit.models.data;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * A synthetic lane-segment task for query-based polyline decoders: each scene holds one curved
 * segment, given as a coarse bird's-eye raster, and the target is its P ordered points in [0, 1]².
 * <pre>
 * start s ~ U[0.2, 0.8]²,  heading θ ~ U[0, 2π),  length ℓ ~ U[0.2, 0.4],  curvature κ ~ U[−3, 3]
 * p(u) = s + ((sin(θ+κu) − sin θ)/κ, (cos θ − cos(θ+κu))/κ)      (a circular arc; a line as κ → 0)
 * points p_i = clamp(p(ℓ·i/(P−1)), 0.02, 0.98),  i = 0 … P−1
 * raster: two G×G channels, cell centre c; channel 0 = Σ_i exp(−|p_i − c|²/(2·0.06²)), channel 1 = the
 *         same for the start point only (it tells the two ends apart)
 * </pre>
 * Everything is drawn from {@code rng} on the host in double precision.
 *
 * @param raster (N, 2·G²) features
 * @param points (N, P, 2) targets
 */
public record LaneSegments(Tensor raster, Tensor points) {
  private static final double SIGMA = 0.06;

  /** {@code n} scenes of {@code p} points on a {@code grid}×{@code grid} raster. */
  public static LaneSegments generate(int n, int p, int grid, Rng rng) {
    if (n < 1 || p < 2 || grid < 1) {
      throw new IllegalArgumentException("lane segments: need n ≥ 1, P ≥ 2 and grid ≥ 1, got " + n + ", " + p + ", " + grid);
    }
    double[] u = rng.uniform(5 * n, 0, 1);
    double[] pts = new double[n * p * 2];
    double[] raster = new double[n * 2 * grid * grid];
    for (int k = 0; k < n; k++) {
      double sx = 0.2 + 0.6 * u[5 * k];
      double sy = 0.2 + 0.6 * u[5 * k + 1];
      double theta = 2 * Math.PI * u[5 * k + 2];
      double len = 0.2 + 0.2 * u[5 * k + 3];
      double kappa = -3 + 6 * u[5 * k + 4];
      for (int i = 0; i < p; i++) {
        double a = len * i / (p - 1);
        double dx = Math.abs(kappa) < 1e-9 ? a * StrictMath.cos(theta)
            : (StrictMath.sin(theta + kappa * a) - StrictMath.sin(theta)) / kappa;
        double dy = Math.abs(kappa) < 1e-9 ? a * StrictMath.sin(theta)
            : (StrictMath.cos(theta) - StrictMath.cos(theta + kappa * a)) / kappa;
        pts[(k * p + i) * 2] = clamp(sx + dx);
        pts[(k * p + i) * 2 + 1] = clamp(sy + dy);
      }
      paint(raster, k, pts, p, grid);
    }
    return new LaneSegments(Tensors.of(DType.F32, raster, n, 2 * grid * grid), Tensors.of(DType.F32, pts, n, p, 2));
  }

  private static void paint(double[] raster, int k, double[] pts, int p, int grid) {
    int base = k * 2 * grid * grid;
    for (int r = 0; r < grid; r++) {
      for (int c = 0; c < grid; c++) {
        double cx = (c + 0.5) / grid;
        double cy = (r + 0.5) / grid;
        for (int i = 0; i < p; i++) {
          double dx = pts[(k * p + i) * 2] - cx;
          double dy = pts[(k * p + i) * 2 + 1] - cy;
          double g = StrictMath.exp(-(dx * dx + dy * dy) / (2 * SIGMA * SIGMA));
          raster[base + r * grid + c] += g;
          if (i == 0) {
            raster[base + grid * grid + r * grid + c] += g;
          }
        }
      }
    }
  }

  private static double clamp(double v) {
    return Math.max(0.02, Math.min(0.98, v));
  }

  public int size() {
    return points.size(0);
  }
}
