package org.incipit.init;

/** Which fan a variance-scaling initializer divides by. */
public enum FanMode {
  /** fan_in: preserves the forward variance (He, LeCun, PyTorch's default). */
  IN,
  /** fan_out: preserves the backward variance. */
  OUT,
  /** (fan_in + fan_out)/2: Glorot's compromise. */
  AVG,
  /** √(fan_in · fan_out). */
  GEO_AVG
}
