package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-derived F16/BF16 cases: exact widening of every pattern, and round-to-nearest-even at the edges. */
class HalfFloatsTest {
  @Test
  void everyF16PatternWidensExactlyAndNarrowsBack() {
    for (int h = 0; h <= 0xFFFF; h++) {
      float f = HalfFloats.f16ToFloat(h);
      assertEquals(h, HalfFloats.floatToF16(f), () -> "F16 " + Integer.toHexString(HalfFloats.floatToF16(f)));
      if (!Float.isNaN(f)) { // widening a signalling NaN to double may quiet it: not our conversion
        assertEquals(h, HalfFloats.doubleToF16(f), "via double");
      }
    }
  }

  @Test
  void everyBf16PatternWidensExactlyAndNarrowsBack() {
    for (int b = 0; b <= 0xFFFF; b++) {
      float f = HalfFloats.bf16ToFloat(b);
      assertEquals(b, HalfFloats.floatToBf16(f));
      if (!Float.isNaN(f)) {
        assertEquals(b, HalfFloats.doubleToBf16(f), "via double");
      }
    }
  }

  @Test
  void f16KnownValues() {
    assertEquals(1.0f, HalfFloats.f16ToFloat(0x3C00));
    assertEquals(65504f, HalfFloats.f16ToFloat(0x7BFF));           // largest finite: (2 − 2⁻¹⁰)·2¹⁵
    assertEquals(0x1p-14f, HalfFloats.f16ToFloat(0x0400));         // smallest normal
    assertEquals(0x1p-24f, HalfFloats.f16ToFloat(0x0001));         // smallest subnormal
    assertEquals(-2.0f, HalfFloats.f16ToFloat(0xC000));
    assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(HalfFloats.f16ToFloat(0x8000)));
    assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat(0x7C00));
    assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat(0xFC00));
    assertTrue(Float.isNaN(HalfFloats.f16ToFloat(0x7E00)));
    // the fixture's half values, each a float exactly
    assertEquals(-2.828125f, HalfFloats.f16ToFloat(HalfFloats.floatToF16(-2.828125f)));
  }

  @Test
  void f16RoundsToNearestTiesToEven() {
    // 1 + 2⁻¹¹ lies halfway between 1 (mantissa 0, even) and 1 + 2⁻¹⁰ (mantissa 1): goes to 1
    assertEquals(0x3C00, HalfFloats.floatToF16(1f + 0x1p-11f));
    // 1 + 3·2⁻¹¹ lies halfway between mantissas 1 and 2: goes to 2 (even)
    assertEquals(0x3C02, HalfFloats.floatToF16(1f + 3 * 0x1p-11f));
    // just above the tie goes up
    assertEquals(0x3C01, HalfFloats.floatToF16(Math.nextUp(1f + 0x1p-11f)));
    // subnormals: 2⁻²⁵ is halfway between 0 and 2⁻²⁴ → 0; 1.5·2⁻²⁴ between 1 and 2 ulps → 2
    assertEquals(0x0000, HalfFloats.floatToF16(0x1p-25f));
    assertEquals(0x0001, HalfFloats.floatToF16(0x1.8p-25f));
    assertEquals(0x0002, HalfFloats.floatToF16(0x1.8p-24f));
    assertEquals(0x8000, HalfFloats.floatToF16(-0x1p-30f));        // underflow keeps the sign
    // the largest subnormal rounds up into the smallest normal
    assertEquals(0x0400, HalfFloats.floatToF16(0x1p-14f - 0x1p-26f));
    // overflow: 65519.99 rounds down to 65504, 65520 (the tie above it) to infinity
    assertEquals(0x7BFF, HalfFloats.floatToF16(65519.99f));
    assertEquals(0x7C00, HalfFloats.floatToF16(65520f));
    assertTrue(HalfFloats.isInfinite16(HalfFloats.floatToF16(-1e6f)));
  }

  @Test
  void narrowingFromDoubleRoundsOnceNotTwice() {
    // 1 + 2⁻¹¹ + 2⁻⁴⁰ is above the F16 tie, but as a float it IS the tie (then rounding to even would give 1)
    double x = 1 + 0x1p-11 + 0x1p-40;
    assertEquals(0x3C00, HalfFloats.floatToF16((float) x));
    assertEquals(0x3C01, HalfFloats.doubleToF16(x));
    double y = 1 + 0x1p-8 + 0x1p-40;                                // the same for BF16 (7 mantissa bits)
    assertEquals(0x3F80, HalfFloats.floatToBf16((float) y));
    assertEquals(0x3F81, HalfFloats.doubleToBf16(y));
  }

  @Test
  void bf16RoundsToNearestTiesToEven() {
    assertEquals(0x3F80, HalfFloats.floatToBf16(1f));
    assertEquals(0x3F80, HalfFloats.floatToBf16(1f + 0x1p-8f));     // tie → even
    assertEquals(0x3F82, HalfFloats.floatToBf16(1f + 3 * 0x1p-8f)); // tie → even
    assertEquals(0x7F7F, HalfFloats.floatToBf16(Math.nextDown(0x1.ffp127f)));
    assertTrue(HalfFloats.isInfiniteBf16(HalfFloats.floatToBf16(Float.MAX_VALUE)));
    assertTrue(HalfFloats.isInfiniteBf16(HalfFloats.doubleToBf16(1e300)));
  }

  @Test
  void nanStaysNanWithItsSignAndTopPayloadBits() {
    float quiet = Float.intBitsToFloat(0xFFC0_0000 | (0x155 << 13)); // negative, payload kept by F16
    assertEquals(0xFE00 | 0x155, HalfFloats.floatToF16(quiet));
    float lowPayload = Float.intBitsToFloat(0x7F80_0001);           // a payload F16 cannot keep
    int h = HalfFloats.floatToF16(lowPayload);
    assertTrue(Float.isNaN(HalfFloats.f16ToFloat(h)), "still NaN: " + Integer.toHexString(h));
    assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(lowPayload))));
    assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.doubleToF16(Double.longBitsToDouble(0x7FF0_0000_0000_0001L)))));
    assertEquals(0x7C00, HalfFloats.doubleToF16(Double.POSITIVE_INFINITY));
    assertEquals(0xFF80, HalfFloats.doubleToBf16(Double.NEGATIVE_INFINITY));
  }
}
