package org.incipit.nn.kan;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A KAT rational function in double precision: the reference that {@link GroupRational} is tested
 * against, and the result of {@link RationalFit}.
 * <pre>
 * F(x) = P(x) / Q(x),   P(x) = a₀ + a₁x + … + a₅x⁵,   Q(x) from {@link Denominator} with b₁…b₄
 * </pre>
 *
 * @param numerator a₀…a₅ (copied)
 * @param denominator b₁…b₄ (copied)
 * @param form how Q is built from b
 */
public record Rational(double[] numerator, double[] denominator, Denominator form) {
  /** Number of numerator coefficients a₀…a₅ (degree m = 5). */
  public static final int NUMERATOR_TERMS = 6;

  public Rational {
    if (numerator.length != NUMERATOR_TERMS || denominator.length != Denominator.TERMS) {
      throw new IllegalArgumentException("rational: needs " + NUMERATOR_TERMS + " numerator and " + Denominator.TERMS
          + " denominator coefficients, got " + numerator.length + " and " + denominator.length);
    }
    numerator = numerator.clone();
    denominator = denominator.clone();
  }

  /** The identity F(x) = x exactly: a = (0, 1, 0, 0, 0, 0), b = 0 (either form). */
  public static Rational identity(Denominator form) {
    return new Rational(new double[] {0, 1, 0, 0, 0, 0}, new double[Denominator.TERMS], form);
  }

  @Override
  public double[] numerator() {
    return numerator.clone();
  }

  @Override
  public double[] denominator() {
    return denominator.clone();
  }

  /** P(x) by Horner's rule. */
  public double p(double x) {
    double s = 0;
    for (int i = NUMERATOR_TERMS - 1; i >= 0; i--) {
      s = s * x + numerator[i];
    }
    return s;
  }

  /** Q(x) ≥ 1. */
  public double q(double x) {
    return form.value(denominator, x);
  }

  /** F(x) = P(x)/Q(x). */
  public double value(double x) {
    return p(x) / q(x);
  }

  /** max |F(x) − f(x)| over {@code n} equally spaced points of [lo, hi] (ends included). */
  public double maxError(DoubleUnaryOperator f, double lo, double hi, int n) {
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double x = lo + (hi - lo) * i / (n - 1);
      worst = Math.max(worst, Math.abs(value(x) - f.applyAsDouble(x)));
    }
    return worst;
  }

  /**
   * KAT's squared gain of this rational, the inverse of its second moment under a standard normal
   * input (Yang &amp; Wang 2024, variance-preserving initialisation; the calculate_gain patch of
   * katransformer.py):
   * <pre>gain² = 1 / E_{x~N(0,1)}[F(x)²]</pre>
   * computed by {@link #gaussianSecondMoment}. A linear layer after F with weight std
   * gain/√fan_in then has an output of unit variance when its input to F is N(0, 1).
   */
  public double gainSquared() {
    return 1 / gaussianSecondMoment(this::value);
  }

  /**
   * E_{x~N(0,1)}[f(x)²] = ∫ f(x)² φ(x) dx by composite Simpson's rule on [−12, 12] with step
   * 10⁻³ (24 000 panels, x = 0 a node). φ(12) ≈ 2·10⁻³², so the tails are negligible for
   * functions of polynomial growth; the rational's kinks (at x = 0 in form B, at the roots of
   * Σ b_j x^j in form A) leave F continuous, which costs O(h²) on one panel each, far below 10⁻⁹.
   */
  public static double gaussianSecondMoment(DoubleUnaryOperator f) {
    final double bound = 12;
    final int panels = 24_000;
    double h = 2 * bound / panels;
    double sum = 0;
    for (int i = 0; i <= panels; i++) {
      double x = -bound + i * h;
      double fx = f.applyAsDouble(x);
      double w = i == 0 || i == panels ? 1 : (i % 2 == 1 ? 4 : 2);
      sum += w * fx * fx * StrictMath.exp(-0.5 * x * x);
    }
    return sum * h / 3 / Math.sqrt(2 * Math.PI);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rational r && r.form == form && Arrays.equals(r.numerator, numerator)
        && Arrays.equals(r.denominator, denominator);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(numerator) + Arrays.hashCode(denominator)) + form.hashCode();
  }

  @Override
  public String toString() {
    return "Rational(" + form + ", a=" + Arrays.toString(numerator) + ", b=" + Arrays.toString(denominator) + ")";
  }
}
