package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * The root of Glorot, He and LeCun (JAX's {@code variance_scaling}):
 * <pre>σ = √(scale / n),   n = fan_in, fan_out, (fan_in + fan_out)/2 or √(fan_in·fan_out)</pre>
 * drawn as N(0, σ²), a truncated normal with realised std σ, or U(−√3σ, √3σ).
 * <ul>
 *   <li>Glorot/Xavier (Glorot &amp; Bengio 2010, AISTATS): scale = gain², mode AVG.</li>
 *   <li>He/Kaiming (He et al. 2015, "Delving Deep into Rectifiers", arXiv:1502.01852):
 *       scale = gain(nonlinearity)², mode IN (or OUT).</li>
 *   <li>LeCun (LeCun et al. 1998, "Efficient BackProp"): scale = 1, mode IN.</li>
 * </ul>
 * Held by {@code ClassicInitializerProperties} (tests module: mean, variance, bounds and KS by SampleCheck) and by
 * {@code fixtures/init.json} (the exact std and bound per shape).
 */
public record VarianceScaling(double scale, FanMode mode, Distribution distribution) implements Initializer {
  static final double TRUNCATED_STD = 0.87962566103423978;

  public VarianceScaling {
    if (!(scale >= 0)) {
      throw new IllegalArgumentException("variance scaling: scale must be non-negative, got " + scale);
    }
  }

  /** The standard deviation σ of the values for these fans. */
  public double std(Fans fans) {
    double n = fans.select(mode);
    if (!(n > 0)) {
      throw new IllegalArgumentException("variance scaling: fan " + mode + " is " + n + "; it must be positive");
    }
    return Math.sqrt(scale / n);
  }

  /** The bound √3σ of the uniform variant. */
  public double bound(Fans fans) {
    return Math.sqrt(3) * std(fans);
  }

  /** Gain √scale, mean 0, std σ, and the bound of the uniform and truncated variants (∞ for the normal). */
  @Override
  public Expected expected(Shape shape, Fans fans) {
    double s = std(fans);
    double bound = switch (distribution) {
      case NORMAL -> Double.POSITIVE_INFINITY;
      case UNIFORM -> bound(fans);
      case TRUNCATED_NORMAL -> 2 * s / TRUNCATED_STD;
    };
    return new Expected(Math.sqrt(scale), 0, s, bound);
  }

  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    double s = std(fans);
    int n = shape.numel();
    double[] v = switch (distribution) {
      case NORMAL -> rng.normal(n, 0, s);
      case UNIFORM -> rng.uniform(n, -bound(fans), bound(fans));
      case TRUNCATED_NORMAL -> new TruncatedNormal(0, s / TRUNCATED_STD, -2 * s / TRUNCATED_STD,
          2 * s / TRUNCATED_STD).sample(n, rng);
    };
    return Tensors.of(DType.F32, v, shape.dims());
  }
}
