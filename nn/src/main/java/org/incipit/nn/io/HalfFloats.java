package org.incipit.nn.io;

/**
 * IEEE 754 binary16 (F16) and bfloat16 (BF16) ↔ float conversion (Java 17 has no
 * {@code Float.float16ToFloat}). Bits are passed as the low 16 bits of an {@code int}.
 *
 * <pre>
 *   F16:  1 sign | 5 exponent (bias 15)  | 10 mantissa   max 65504, min normal 2⁻¹⁴, min subnormal 2⁻²⁴
 *   BF16: 1 sign | 8 exponent (bias 127) |  7 mantissa   the upper 16 bits of a float32
 * </pre>
 *
 * Widening is exact. Narrowing rounds to nearest, ties to even, with subnormals; values beyond the
 * largest finite number round to ±infinity exactly as IEEE prescribes (callers that treat that as
 * an error check {@link #isInfinite16}). NaN keeps its sign and the top mantissa bits of its
 * payload, and stays a NaN (a payload that would vanish becomes the quiet bit).
 */
final class HalfFloats {
  private HalfFloats() {}

  /** The float equal to the F16 value with bits {@code h}. */
  static float f16ToFloat(int h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    if (exp == 0x1F) { // ±inf or NaN: widen the payload into the float's top mantissa bits
      return Float.intBitsToFloat(sign | 0x7F80_0000 | (mant << 13));
    }
    // subnormal: mant · 2⁻²⁴;  normal: (1024 + mant) · 2^(exp − 25); both exact in float
    float magnitude = exp == 0 ? mant * 0x1p-24f : Math.scalb((float) (0x400 | mant), exp - 25);
    return sign != 0 ? -magnitude : magnitude;
  }

  /** The float equal to the BF16 value with bits {@code b}. */
  static float bf16ToFloat(int b) {
    return Float.intBitsToFloat((b & 0xFFFF) << 16);
  }

  /** F16 bits of {@code f}, rounded to nearest even. */
  static int floatToF16(float f) {
    if (Float.isNaN(f)) {
      int bits = Float.floatToRawIntBits(f);
      return nan((bits >>> 16) & 0x8000, 0x7C00, (bits >>> 13) & 0x3FF, 0x200);
    }
    return round(f, 5, 10); // float → double is exact
  }

  /** F16 bits of {@code d}, rounded to nearest even (one rounding, not via float). */
  static int doubleToF16(double d) {
    if (Double.isNaN(d)) {
      long bits = Double.doubleToRawLongBits(d);
      return nan((int) (bits >>> 48) & 0x8000, 0x7C00, (int) (bits >>> 42) & 0x3FF, 0x200);
    }
    return round(d, 5, 10);
  }

  /** BF16 bits of {@code f}, rounded to nearest even. */
  static int floatToBf16(float f) {
    if (Float.isNaN(f)) {
      int bits = Float.floatToRawIntBits(f);
      return nan((bits >>> 16) & 0x8000, 0x7F80, (bits >>> 16) & 0x7F, 0x40);
    }
    return round(f, 8, 7);
  }

  /** BF16 bits of {@code d}, rounded to nearest even (one rounding, not via float). */
  static int doubleToBf16(double d) {
    if (Double.isNaN(d)) {
      long bits = Double.doubleToRawLongBits(d);
      return nan((int) (bits >>> 48) & 0x8000, 0x7F80, (int) (bits >>> 45) & 0x7F, 0x40);
    }
    return round(d, 8, 7);
  }

  /** True when F16 bits {@code h} are ±infinity. */
  static boolean isInfinite16(int h) {
    return (h & 0x7FFF) == 0x7C00;
  }

  /** True when BF16 bits {@code b} are ±infinity. */
  static boolean isInfiniteBf16(int b) {
    return (b & 0x7FFF) == 0x7F80;
  }

  private static int nan(int sign, int expField, int payload, int quietBit) {
    return sign | expField | (payload == 0 ? quietBit : payload);
  }

  /**
   * Bits of the non-NaN {@code x} in a format with {@code expBits} exponent and {@code mantBits}
   * mantissa bits. In the binade of x (or the subnormal range) the spacing of representable
   * numbers is a power of two q, so x / q and r · q are exact and {@code Math.rint} does the
   * ties-to-even rounding.
   */
  private static int round(double x, int expBits, int mantBits) {
    int sign = Double.doubleToRawLongBits(x) < 0 ? 1 << (expBits + mantBits) : 0;
    int bias = (1 << (expBits - 1)) - 1;
    int infinity = ((1 << expBits) - 1) << mantBits;
    double a = Math.abs(x);
    if (Double.isInfinite(a)) {
      return sign | infinity;
    }
    int minExp = 1 - bias;                                       // exponent of the smallest normal
    int e = Math.max(Math.getExponent(a), minExp);
    double q = Math.scalb(1.0, e - mantBits);                    // spacing in a's binade
    double r = Math.rint(a / q) * q;                             // may carry into the next binade
    int re = Math.max(Math.getExponent(r), minExp);
    if (re > bias) {
      return sign | infinity;                                    // overflow
    }
    if (r < Math.scalb(1.0, minExp)) {                           // subnormal or zero: field 0
      return sign | (int) (r / Math.scalb(1.0, minExp - mantBits));
    }
    int mant = (int) (r / Math.scalb(1.0, re - mantBits)) - (1 << mantBits);
    return sign | ((re + bias) << mantBits) | mant;
  }
}
