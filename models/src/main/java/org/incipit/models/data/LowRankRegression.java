package org.incipit.models.data;

import org.incipit.autograd.Tensor;
import org.incipit.init.linalg.Dense;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * Fine-tuning as linear regression, the LoRA-family studies' toy task: a "pretrained" weight W0
 * and a target W0 + ΔW whose update ΔW has low rank and subspaces unrelated to W0.
 * <pre>
 * W0 ~ N(0, 1/d_in),   ΔW = U diag(s) Vᵀ (U, V random orthonormal, independent of W0)
 * x = L z,  z ~ N(0, I)  (L = I unless given: anisotropic inputs for EVA),   y = (W0 + ΔW) x + σ ε
 * </pre>
 * Batches are pure functions of (rng, size): batch t of a run comes from {@code rng.fork(t)}.
 * F32 CPU tensors; rows are samples.
 */
public final class LowRankRegression {
  private final double[][] w0;
  private final double[][] delta;
  private final double[][] mix;
  private final double noise;

  /** A task with the given pretrained weight, update, input mixing L (d_in × d_in, null = I) and noise σ. */
  public LowRankRegression(double[][] w0, double[][] delta, double[][] mix, double noise) {
    if (w0.length != delta.length || w0[0].length != delta[0].length) {
      throw new IllegalArgumentException("low-rank regression: W0 is " + w0.length + "x" + w0[0].length
          + " but ΔW is " + delta.length + "x" + delta[0].length);
    }
    this.w0 = w0;
    this.delta = delta;
    this.mix = mix;
    this.noise = noise;
  }

  /** W0 ~ N(0, 1/d_in) (d_out × d_in) from {@code rng}. */
  public static double[][] pretrained(int out, int in, Rng rng) {
    return Dense.scale(1 / Math.sqrt(in), matrix(out, in, rng.normal(out * in)));
  }

  /** U diag(s) Vᵀ with U (out × k), V (in × k) orthonormal from QR of Gaussian matrices. */
  public static double[][] lowRank(int out, int in, double[] s, Rng rng) {
    double[][] u = Dense.qr(matrix(out, s.length, rng.fork("u").normal(out * s.length))).q();
    double[][] v = Dense.qr(matrix(in, s.length, rng.fork("v").normal(in * s.length))).q();
    return Dense.mul(Dense.columns(u, 0, s.length, s), Dense.transpose(v));
  }

  private static double[][] matrix(int rows, int cols, double[] values) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(values, i * cols, m[i], 0, cols);
    }
    return m;
  }

  /** Inputs (n, d_in) and targets (n, d_out). */
  public record Batch(Tensor x, Tensor y) {}

  /** n samples drawn from {@code rng}. */
  public Batch batch(int n, Rng rng) {
    int in = w0[0].length;
    double[][] x = matrix(n, in, rng.fork("x").normal(n * in));
    if (mix != null) {
      x = Dense.mul(x, Dense.transpose(mix)); // rows x_t = L z_t
    }
    double[][] y = Dense.mul(x, Dense.transpose(target()));
    double[] eps = rng.fork("noise").normal(n * w0.length);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < w0.length; j++) {
        y[i][j] += noise * eps[i * w0.length + j];
      }
    }
    return new Batch(Dense.tensor(x, DType.F32), Dense.tensor(y, DType.F32));
  }

  /** W0 + ΔW. */
  public double[][] target() {
    return Dense.combine(1, w0, 1, delta);
  }

  public double[][] pretrained() {
    return w0;
  }

  public double[][] delta() {
    return delta;
  }

  public double noise() {
    return noise;
  }
}
