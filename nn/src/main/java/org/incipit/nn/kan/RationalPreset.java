package org.incipit.nn.kan;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.incipit.tensor.ErrorFunction;

/**
 * Initial coefficients of a KAT rational: the function it starts as. KAT initialises each rational
 * from a fit to a classic activation (the official {@code init.json}, fitted on [−3, 3]); here the
 * fits are our own ({@link RationalFit}), computed once per (preset, form) on first use and cached.
 * IDENTITY is exact and not fitted: a = (0, 1, 0, 0, 0, 0), b = 0 gives F(x) = x in both forms.
 *
 * <p>Every preset fits both {@link Denominator} forms with a max error on [−3, 3] far below 0.03
 * ({@code RationalFitTest} lists them). That differs from the official presets, where 'gelu' fits
 * only form A: our fits are the least-squares optima of each form, not one set read two ways.
 * SWISH and SIGMOID come out even in the denominator (b₁ ≈ b₃ ≈ 0, b₂, b₄ &gt; 0), so their two
 * forms nearly coincide.
 */
public enum RationalPreset {
  /** F(x) = x exactly. */
  IDENTITY(x -> x),
  /** Swish / SiLU x·σ(x) (Ramachandran et al. 2017; Elfwing et al. 2017): KAT's default act_init. */
  SWISH(x -> x / (1 + StrictMath.exp(-x))),
  /** GELU x·Φ(x), the exact erf form (Hendrycks &amp; Gimpel 2016, arXiv:1606.08415). */
  GELU(x -> 0.5 * x * (1 + ErrorFunction.erf(x / Math.sqrt(2)))),
  /** tanh x. */
  TANH(Math::tanh),
  /** The logistic sigmoid 1/(1 + e^(−x)). */
  SIGMOID(x -> 1 / (1 + StrictMath.exp(-x)));

  private static final Map<String, RationalFit.Result> FITS = new ConcurrentHashMap<>();

  private final DoubleUnaryOperator target;

  RationalPreset(DoubleUnaryOperator target) {
    this.target = target;
  }

  /** The activation this preset approximates, in double precision. */
  public DoubleUnaryOperator target() {
    return target;
  }

  /** The rational this preset starts as in the given form (exact for IDENTITY, fitted otherwise). */
  public Rational rational(Denominator form) {
    return fit(form).rational();
  }

  /** The fit behind {@link #rational}, computed on first use and cached (IDENTITY: exact, zero error). */
  public RationalFit.Result fit(Denominator form) {
    if (this == IDENTITY) {
      return new RationalFit.Result(Rational.identity(form), true, 0, 0, 0);
    }
    return FITS.computeIfAbsent(name() + "/" + form, k -> RationalFit.fit(target, form));
  }

  /**
   * KAT's gain of this preset's rational, gain = √(1 / E_{x~N(0,1)}[F(x)²]) (see
   * {@link Rational#gainSquared}): the std multiplier of the linear layer that follows it.
   */
  public double gain(Denominator form) {
    return Math.sqrt(rational(form).gainSquared());
  }
}
