package org.incipit.models.studies;

/** How much compute a study run gets. */
public enum Budget {
  /** Seconds: checks that the study runs end to end and writes its report (the test suite runs this). */
  SMOKE,
  /** What reproduces the claim: minutes on two CPU cores. */
  FULL
}
