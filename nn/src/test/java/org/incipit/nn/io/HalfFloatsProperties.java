package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Narrowing picks the nearest representable value, ties to the even mantissa, checked exactly
 * (BigDecimal) against both neighbours, for floats and for doubles (one rounding).
 */
class HalfFloatsProperties {
  @Provide
  Arbitrary<Double> finiteDoubles() {
    // random bit patterns cover every binade (subnormals, huge values); scaled values hit the F16 range
    Arbitrary<Double> bits = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
    Arbitrary<Double> near = Arbitraries.doubles().between(-70000, 70000).ofScale(12);
    Arbitrary<Double> tiny = Arbitraries.doubles().between(-1, 1).ofScale(15).map(d -> d * 1e-4);
    return Arbitraries.oneOf(bits, near, tiny);
  }

  /** Exact midpoints between neighbouring codes (and a hair either side): where rounding is decided. */
  private static Arbitrary<Double> ties(int infinity, Widen widen) {
    return Arbitraries.integers().between(0, infinity - 2).flatMap(m -> Arbitraries.of(-1, 0, 1).flatMap(
        nudge -> Arbitraries.of(1.0, -1.0).map(sign -> {
          double tie = ((double) widen.apply(m) + widen.apply(m + 1)) / 2; // exact in double
          double x = nudge == 0 ? tie : nudge > 0 ? Math.nextUp(tie) : Math.nextDown(tie);
          return sign * x;
        })));
  }

  @Provide
  Arbitrary<Double> f16Inputs() {
    return Arbitraries.oneOf(finiteDoubles(), ties(0x7C00, HalfFloats::f16ToFloat));
  }

  @Provide
  Arbitrary<Double> bf16Inputs() {
    return Arbitraries.oneOf(finiteDoubles(), ties(0x7F80, HalfFloats::bf16ToFloat));
  }

  @Property(tries = 3000, seed = "401")
  void f16IsTheNearestHalfTiesToEven(@ForAll("f16Inputs") double x) {
    checkNearest(x, HalfFloats.doubleToF16(x), 0x7C00, HalfFloats::f16ToFloat);
    float f = (float) x;
    if (Float.isFinite(f)) {
      checkNearest(f, HalfFloats.floatToF16(f), 0x7C00, HalfFloats::f16ToFloat);
    }
  }

  @Property(tries = 3000, seed = "402")
  void bf16IsTheNearestBfloatTiesToEven(@ForAll("bf16Inputs") double x) {
    checkNearest(x, HalfFloats.doubleToBf16(x), 0x7F80, HalfFloats::bf16ToFloat);
    float f = (float) x;
    if (Float.isFinite(f)) {
      checkNearest(f, HalfFloats.floatToBf16(f), 0x7F80, HalfFloats::bf16ToFloat);
    }
  }

  private interface Widen {
    float apply(int bits);
  }

  /** {@code bits} encode the value nearest to x among its neighbours (magnitude codes ±1), ties even. */
  private static void checkNearest(double x, int bits, int infinity, Widen widen) {
    int sign = bits & 0x8000;
    assertEquals(x < 0 || (x == 0 && 1 / x < 0) ? 0x8000 : 0, sign, "sign of " + x);
    int m = bits & 0x7FFF;
    if (m == infinity) { // overflow: x must lie at or beyond the tie above the largest finite value
      BigDecimal max = new BigDecimal(widen.apply(infinity - 1));
      BigDecimal next = max.add(max.subtract(new BigDecimal(widen.apply(infinity - 2))));
      BigDecimal tie = max.add(next).divide(BigDecimal.valueOf(2));
      assertTrue(new BigDecimal(Math.abs(x)).compareTo(tie) >= 0, x + " overflowed below the tie " + tie);
      return;
    }
    assertTrue(m < infinity, "no NaN from a finite value: " + Integer.toHexString(bits));
    BigDecimal a = new BigDecimal(Math.abs(x));
    BigDecimal d = a.subtract(new BigDecimal(widen.apply(m))).abs();
    for (int n : new int[] {m - 1, m + 1}) {
      if (n < 0 || n >= infinity) {
        continue;
      }
      int c = d.compareTo(a.subtract(new BigDecimal(widen.apply(n))).abs());
      assertTrue(c <= 0, x + " → " + Integer.toHexString(bits) + " but code " + Integer.toHexString(n) + " is nearer");
      if (c == 0) {
        assertEquals(0, m & 1, x + " is a tie and must go to the even mantissa");
      }
    }
  }
}
