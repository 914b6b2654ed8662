package org.incipit.init;

/**
 * What an initializer promises for one tensor, before drawing it: the gain it applies, the mean, the
 * standard deviation and, for bounded draws, the largest |value|. {@code NaN} marks what it does not
 * promise (a data-driven scheme, a lambda). Init reports print it beside the measured std, and lint
 * rules read it (see {@link Initializer#expected}).
 */
public record Expected(double gain, double mean, double std, double bound) {
  /** Nothing promised. */
  public static final Expected UNKNOWN = new Expected(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** Mean 0 and standard deviation {@code std}, unbounded, no stated gain. */
  public static Expected std(double std) {
    return new Expected(Double.NaN, 0, std, Double.POSITIVE_INFINITY);
  }

  /** U(low, high): mean (low + high)/2, std (high − low)/√12, bound max(|low|, |high|). */
  public static Expected uniform(double low, double high) {
    return new Expected(Double.NaN, (low + high) / 2, (high - low) / Math.sqrt(12), Math.max(Math.abs(low), Math.abs(high)));
  }

  public Expected withGain(double g) {
    return new Expected(g, mean, std, bound);
  }

  /** Every value multiplied by {@code factor}. */
  public Expected times(double factor) {
    double f = Math.abs(factor);
    return new Expected(gain * f, mean * factor, std * f, bound * f);
  }
}
