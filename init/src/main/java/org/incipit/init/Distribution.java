package org.incipit.init;

/** The distribution of a variance-scaling initializer, all with mean 0 and the requested variance. */
public enum Distribution {
  /** N(0, σ²). */
  NORMAL,
  /**
   * N(0, σ'²) truncated to ±2σ', with σ' = σ / 0.87962566103423978 so that the realised standard
   * deviation is σ (JAX/Flax's convention; 0.8796… is the std of N(0,1) truncated to [−2, 2]).
   */
  TRUNCATED_NORMAL,
  /** U(−√3σ, √3σ). */
  UNIFORM
}
