package org.incipit.init;

import org.incipit.tensor.Shape;

/**
 * Fan-in and fan-out of a weight, as doubles (never integer division).
 *
 * <p>Layout convention (PyTorch's, fixed here once): a weight is {@code [out, in, k₁, k₂, …]}, the
 * receptive field is Π kᵢ (1 for a matrix), fan_in = in · receptive and fan_out = out · receptive.
 * For a grouped convolution the weight is {@code [out, in/groups, k…]}: fan_in is right as is, but
 * each input channel only feeds out/groups outputs, so {@link #ofGrouped} divides fan_out by the
 * number of groups (PyTorch does not: pytorch#23854). Tested against {@code fixtures/init.json}.
 */
public record Fans(double in, double out) {
  public Fans {
    if (!(in >= 0) || !(out >= 0)) {
      throw new IllegalArgumentException("fans must be non-negative, got in=" + in + ", out=" + out);
    }
  }

  /** The fans of a weight of shape [out, in, k…]. */
  public static Fans of(Shape weight) {
    if (weight.rank() < 2) {
      throw new IllegalArgumentException("fan in and fan out need at least 2 dimensions, got shape " + weight);
    }
    double receptive = weight.numel(2, weight.rank());
    return new Fans(weight.dim(1) * receptive, weight.dim(0) * receptive);
  }

  /** The fans of a grouped convolution weight [out, in/groups, k…]: fan_out is (out/groups)·receptive. */
  public static Fans ofGrouped(Shape weight, int groups) {
    Fans f = of(weight);
    if (groups < 1 || weight.dim(0) % groups != 0) {
      throw new IllegalArgumentException("groups=" + groups + " does not divide the " + weight.dim(0)
          + " output channels of " + weight);
    }
    return new Fans(f.in(), f.out() / groups);
  }

  /** The fan selected by {@code mode}. */
  public double select(FanMode mode) {
    return switch (mode) {
      case IN -> in;
      case OUT -> out;
      case AVG -> (in + out) / 2;
      case GEO_AVG -> Math.sqrt(in * out);
    };
  }
}
