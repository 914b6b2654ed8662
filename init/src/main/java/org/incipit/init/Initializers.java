package org.incipit.init;

/**
 * The classic initializers under their usual names, PyTorch {@code nn.init} semantics (weights are
 * [out, in, k…]; see {@link Fans}). Aliases follow JAX: glorot = xavier, he = kaiming.
 *
 * <pre>{@code
 * Initializer w = Initializers.heNormal();              // N(0, 2/fan_in)
 * Tensor t = w.create(Shape.of(256, 128), Fans.of(Shape.of(256, 128)), rng.fork("fc1.weight"));
 * }</pre>
 */
public final class Initializers {
  private Initializers() {}

  public static Initializer zeros() {
    return new Constant(0);
  }

  public static Initializer ones() {
    return new Constant(1);
  }

  public static Initializer constant(double value) {
    return new Constant(value);
  }

  public static Initializer uniform(double low, double high) {
    return new Uniform(low, high);
  }

  public static Initializer normal(double mean, double std) {
    return new Normal(mean, std);
  }

  /** PyTorch's trunc_normal_: a, b absolute bounds. */
  public static Initializer truncatedNormal(double mean, double std, double a, double b) {
    return new TruncatedNormal(mean, std, a, b);
  }

  /** σ = √(scale / fan(mode)); the root of the three families below. */
  public static VarianceScaling varianceScaling(double scale, FanMode mode, Distribution distribution) {
    return new VarianceScaling(scale, mode, distribution);
  }

  /** Glorot/Xavier uniform: U(±gain·√(6/(fan_in + fan_out))). */
  public static VarianceScaling xavierUniform(double gain) {
    return varianceScaling(gain * gain, FanMode.AVG, Distribution.UNIFORM);
  }

  /** Glorot/Xavier normal: std = gain·√(2/(fan_in + fan_out)). */
  public static VarianceScaling xavierNormal(double gain) {
    return varianceScaling(gain * gain, FanMode.AVG, Distribution.NORMAL);
  }

  public static VarianceScaling glorotUniform() {
    return xavierUniform(1);
  }

  public static VarianceScaling glorotNormal() {
    return xavierNormal(1);
  }

  /**
   * PyTorch's kaiming_uniform_(a, mode, nonlinearity): bound = √3 · gain(nonlinearity, a)/√fan.
   * With PyTorch's defaults (a = 0, leaky_relu) the gain is √2: {@code a} is the negative slope,
   * not a scale (Blealtan/efficient-kan#72).
   */
  public static VarianceScaling kaimingUniform(double a, FanMode mode, String nonlinearity) {
    double g = Gains.of(nonlinearity, a);
    return varianceScaling(g * g, mode, Distribution.UNIFORM);
  }

  /** PyTorch's kaiming_normal_(a, mode, nonlinearity): std = gain(nonlinearity, a)/√fan. */
  public static VarianceScaling kaimingNormal(double a, FanMode mode, String nonlinearity) {
    double g = Gains.of(nonlinearity, a);
    return varianceScaling(g * g, mode, Distribution.NORMAL);
  }

  /** He normal for ReLU: N(0, 2/fan_in). */
  public static VarianceScaling heNormal() {
    return kaimingNormal(0, FanMode.IN, "relu");
  }

  /** He uniform for ReLU: U(±√(6/fan_in)). */
  public static VarianceScaling heUniform() {
    return kaimingUniform(0, FanMode.IN, "relu");
  }

  /** LeCun normal: N(0, 1/fan_in). */
  public static VarianceScaling lecunNormal() {
    return varianceScaling(1, FanMode.IN, Distribution.NORMAL);
  }

  /** LeCun uniform: U(±√(3/fan_in)). */
  public static VarianceScaling lecunUniform() {
    return varianceScaling(1, FanMode.IN, Distribution.UNIFORM);
  }

  /** Orthogonal (Saxe et al. 2013) times {@code gain}; a weight of rank &gt; 2 is flattened to (out, Π rest) as PyTorch does. */
  public static Orthogonal orthogonal(double gain) {
    return new Orthogonal(gain);
  }

  /** Values computed by a data-driven scheme, recorded under its name (see {@link Given}). */
  public static Given given(String scheme, org.incipit.autograd.Tensor values) {
    return new Given(scheme, values);
  }

  /**
   * {@code base} drawn as {@code parts} slices along dim 0, each with its own fans: for packed
   * weights (fused QKV, gate/up) — see {@link PerSlice}.
   */
  public static PerSlice perSlice(int parts, Initializer base) {
    return new PerSlice(parts, base);
  }

  /**
   * The default weight of PyTorch's Linear and ConvNd: kaiming_uniform_(a = √5), whose gain² is
   * 2/(1 + 5) = 1/3, so bound = 1/√fan_in and Var = 1/(3·fan_in) (the "magic √5" of pytorch#15314
   * is just this identity).
   */
  public static VarianceScaling pytorchDefaultWeight() {
    return kaimingUniform(Math.sqrt(5), FanMode.IN, "leaky_relu");
  }

  /** The default bias of PyTorch's Linear and ConvNd: U(±1/√fan_in) with the weight's fan_in (0 when fan_in = 0). */
  public static PyTorchBias pytorchDefaultBias() {
    return new PyTorchBias();
  }

  /** U(±1/√fan_in) using the fans of the layer's weight. */
  public record PyTorchBias() implements Initializer {
    /** 1/√fan_in, or 0 when fan_in is 0. */
    public double bound(Fans fans) {
      return fans.in() > 0 ? 1 / Math.sqrt(fans.in()) : 0;
    }

    @Override
    public Expected expected(org.incipit.tensor.Shape shape, Fans fans) {
      return Expected.uniform(-bound(fans), bound(fans));
    }

    @Override
    public org.incipit.autograd.Tensor create(org.incipit.tensor.Shape shape, Fans fans, org.incipit.tensor.Rng rng) {
      return Uniform.symmetric(bound(fans)).create(shape, fans, rng);
    }
  }
}
