package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Narrowing picks the nearest representable value, ties to the even mantissa, checked exactly
 * (BigDecimal) against both neighbours, for floats and for doubles (one rounding).
 */
class HalfFloatsProperties {
  /**
   * Doubles of every kind: random bit patterns cover every binade (subnormals, huge values; a
   * non-finite pattern loses its top exponent bit), scaled values hit the F16 range. Mixed in one
   * draw in ten: ±0, ±1, the smallest subnormals and the largest values of double, float, half
   * (65504) and bfloat16, and the F16 overflow tie 65520.
   */
  static Gen<Double> finiteDoubles() {
    Gen<Double> bits = longs().all().map(b -> {
      double d = Double.longBitsToDouble(b);
      return Double.isFinite(d) ? d : Double.longBitsToDouble(b & ~(1L << 62));
    });
    Gen<Double> near = doubles().between(-70000, 70000);
    Gen<Double> tiny = doubles().between(-1, 1).map(d -> d * 1e-4);
    List<Double> edges = List.of(0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
        -Double.MAX_VALUE, (double) Float.MIN_VALUE, (double) Float.MAX_VALUE, 65504.0, -65504.0, 65520.0,
        (double) HalfFloats.bf16ToFloat(0x7F7F));
    return Generate.oneOf(bits, near, tiny).mix(Generate.pick(edges), 10);
  }

  /** Exact midpoints between neighbouring codes (and a hair either side): where rounding is decided. */
  private static Gen<Double> ties(int infinity, Widen widen) {
    return integers().between(0, infinity - 2).zip(Generate.pick(List.of(-1, 0, 1)), Generate.pick(List.of(1.0, -1.0)),
        (m, nudge, sign) -> {
          double tie = ((double) widen.apply(m) + widen.apply(m + 1)) / 2; // exact in double
          double x = nudge == 0 ? tie : nudge > 0 ? Math.nextUp(tie) : Math.nextDown(tie);
          return sign * x;
        });
  }

  @Test
  void f16IsTheNearestHalfTiesToEven() {
    qt().withFixedSeed(401L).withExamples(3000)
        .forAll(Generate.oneOf(finiteDoubles(), ties(0x7C00, HalfFloats::f16ToFloat)))
        .checkAssert(x -> {
          checkNearest(x, HalfFloats.doubleToF16(x), 0x7C00, HalfFloats::f16ToFloat);
          float f = (float) (double) x;
          if (Float.isFinite(f)) {
            checkNearest(f, HalfFloats.floatToF16(f), 0x7C00, HalfFloats::f16ToFloat);
          }
        });
  }

  @Test
  void bf16IsTheNearestBfloatTiesToEven() {
    qt().withFixedSeed(402L).withExamples(3000)
        .forAll(Generate.oneOf(finiteDoubles(), ties(0x7F80, HalfFloats::bf16ToFloat)))
        .checkAssert(x -> {
          checkNearest(x, HalfFloats.doubleToBf16(x), 0x7F80, HalfFloats::bf16ToFloat);
          float f = (float) (double) x;
          if (Float.isFinite(f)) {
            checkNearest(f, HalfFloats.floatToBf16(f), 0x7F80, HalfFloats::bf16ToFloat);
          }
        });
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
