package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.ErrorFunction;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * N(mean, std²) conditioned on [a, b] — PyTorch's {@code trunc_normal_} semantics: a and b are
 * <em>absolute</em> bounds, not multiples of std (so std = 0.02 with the default ±2 is effectively
 * untruncated; timm#1286), and the realised std is below {@code std} (0.8796·std for ±2σ).
 * <pre>
 * l = Φ((a − μ)/σ),  u = Φ((b − μ)/σ),  x = μ + σ√2 · erfinv(U(2l − 1, 2u − 1)),  clamped to [a, b]
 * </pre>
 * Inverse-CDF sampling has no outliers beyond [a, b] at any std (pytorch#155588).
 */
public record TruncatedNormal(double mean, double std, double a, double b) implements Initializer {
  public TruncatedNormal {
    if (!(std > 0) || !(b > a)) {
      throw new IllegalArgumentException("trunc_normal: needs std > 0 and a < b, got std=" + std + ", [" + a + ", " + b + "]");
    }
  }

  /**
   * The realised mean and std of the truncated distribution (α = (a−μ)/σ, β = (b−μ)/σ, Z = Φ(β) − Φ(α)):
   * mean μ + σ(φ(α) − φ(β))/Z, variance σ²[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²]; bound max(|a|, |b|).
   */
  @Override
  public Expected expected(Shape shape, Fans fans) {
    double al = (a - mean) / std;
    double be = (b - mean) / std;
    double z = phi(be) - phi(al);
    double pa = density(al);
    double pb = density(be);
    double shift = (pa - pb) / z;
    double var = 1 + (finite(al) * pa - finite(be) * pb) / z - shift * shift;
    return new Expected(Double.NaN, mean + std * shift, std * Math.sqrt(var), Math.max(Math.abs(a), Math.abs(b)));
  }

  private static double density(double x) {
    return Double.isInfinite(x) ? 0 : StrictMath.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  }

  private static double finite(double x) {
    return Double.isInfinite(x) ? 0 : x;
  }

  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    return Tensors.of(DType.F32, sample(shape.numel(), rng), shape.dims());
  }

  /** The samples in double precision. */
  public double[] sample(int n, Rng rng) {
    double l = phi((a - mean) / std);
    double u = phi((b - mean) / std);
    double[] v = rng.uniform(n, 2 * l - 1, 2 * u - 1);
    for (int i = 0; i < n; i++) {
      double x = mean + std * Math.sqrt(2) * erfinv(v[i]);
      v[i] = Math.min(b, Math.max(a, x));
    }
    return v;
  }

  private static double phi(double x) {
    return 0.5 * (1 + ErrorFunction.erf(x / Math.sqrt(2)));
  }

  /**
   * The inverse error function: Giles' (2010) single-precision approximation, refined by two
   * Newton steps on {@link ErrorFunction#erf} to double precision. erfinv(±1) = ±∞.
   */
  public static double erfinv(double y) {
    if (y <= -1) {
      return y == -1 ? Double.NEGATIVE_INFINITY : Double.NaN;
    }
    if (y >= 1) {
      return y == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
    }
    double w = -StrictMath.log((1 - y) * (1 + y));
    double x;
    if (w < 5) {
      w -= 2.5;
      double p = 2.81022636e-08;
      p = 3.43273939e-07 + p * w;
      p = -3.5233877e-06 + p * w;
      p = -4.39150654e-06 + p * w;
      p = 0.00021858087 + p * w;
      p = -0.00125372503 + p * w;
      p = -0.00417768164 + p * w;
      p = 0.246640727 + p * w;
      p = 1.50140941 + p * w;
      x = p * y;
    } else {
      w = Math.sqrt(w) - 3;
      double p = -0.000200214257;
      p = 0.000100950558 + p * w;
      p = 0.00134934322 + p * w;
      p = -0.00367342844 + p * w;
      p = 0.00573950773 + p * w;
      p = -0.0076224613 + p * w;
      p = 0.00943887047 + p * w;
      p = 1.00167406 + p * w;
      p = 2.83297682 + p * w;
      x = p * y;
    }
    for (int i = 0; i < 2; i++) {
      double err = ErrorFunction.erf(x) - y;
      x -= err / (2 / Math.sqrt(Math.PI) * StrictMath.exp(-x * x));
    }
    return x;
  }
}
