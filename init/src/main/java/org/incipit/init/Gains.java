package org.incipit.init;

import java.util.Locale;

/**
 * The recommended gain of a nonlinearity (PyTorch's {@code calculate_gain}): the factor that keeps
 * the activation variance stable through a layer followed by that nonlinearity.
 * <pre>
 * linear, conv*, conv_transpose*, sigmoid → 1      tanh → 5/3      relu → √2
 * leaky_relu(s) → √(2 / (1 + s²)), s = 0.01 when absent      selu → 3/4
 * </pre>
 * SELU's 3/4 is empirical (PyTorch chose it so that SELU nets with Kaiming init train; for a
 * self-normalising net use 'linear'). Tested against {@code fixtures/init.json}.
 */
public final class Gains {
  private Gains() {}

  /** The gain of {@code nonlinearity}; {@code param} is the negative slope of leaky_relu (null: 0.01). */
  public static double of(String nonlinearity, Double param) {
    String nl = nonlinearity.toLowerCase(Locale.ROOT);
    return switch (nl) {
      case "linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
          "conv_transpose3d", "sigmoid" -> 1.0;
      case "tanh" -> 5.0 / 3.0;
      case "relu" -> Math.sqrt(2.0);
      case "leaky_relu" -> {
        double s = param == null ? 0.01 : param;
        yield Math.sqrt(2.0 / (1 + s * s));
      }
      case "selu" -> 0.75;
      default -> throw new IllegalArgumentException("unsupported nonlinearity '" + nonlinearity
          + "' (known: linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu)");
    };
  }

  /** {@link #of(String, Double)} without a parameter. */
  public static double of(String nonlinearity) {
    return of(nonlinearity, null);
  }
}
