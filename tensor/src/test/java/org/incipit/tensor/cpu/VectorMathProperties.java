package org.incipit.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Every vectorised loop of {@link VectorUnary} gives, element for element, the bits of its scalar
 * twin {@link FloatMath#loop} (the path taken without the Vector API) — for sqrt, relu, neg, abs
 * and reciprocal, of the double reference rounded to float. Inputs: arrays of 1 to 40 floats (so
 * full vectors and masked tails both run) drawn from every bit pattern, a moderate range, and the
 * edge cases ±0, subnormals, ±MIN_NORMAL, ±MAX_VALUE, ±∞, NaN, the clamp and switch points of
 * the kernels (for gelu and gelu′ also x = ±√2, ±4√2, where erf(x·√½) switches). NaNs compare equal whatever their payload (Java leaves it unspecified).
 */
class VectorMathProperties {
  private static final List<String> KERNELS = List.of("exp", "log", "tanh", "sigmoid", "softplus", "sin", "cos",
      "erf", "gelu", "gelu_grad", "sqrt", "relu", "neg", "abs", "reciprocal");

  private static final List<Float> EDGES = List.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f,
      Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f, 88.72283f, 88.8f, -87.33655f, -103.97f, -104f, 0.625f, -0.625f,
      20f, 20.000002f, 4f, -4f, 65536f, 65536.01f, -65536.01f, 1e30f, -1e30f, 1.5707964f, 3.1415927f, 6e6f,
      1.4142135f, -1.4142135f, 5.656854f, -5.656854f, 5.6568546f, 13.4f, -13.4f);

  @BeforeAll
  static void vectorPresent() {
    assumeTrue(VectorSupport.AVAILABLE, "skipped: jdk.incubator.vector is not in the boot layer");
  }

  private static Gen<Float> anyFloat() {
    Gen<Float> bits = integers().all().map(Float::intBitsToFloat);
    return bits.mix(floats().between(-30f, 30f), 40).mix(arbitrary().pick(EDGES), 30);
  }

  private static CpuElementwise.UnaryLoop scalar(String name) {
    CpuElementwise.UnaryLoop loop = FloatMath.loop(name);
    if (loop != null) {
      return loop;
    }
    java.util.function.DoubleUnaryOperator f = switch (name) {
      case "sqrt" -> Math::sqrt;
      case "relu" -> a -> a > 0 ? a : 0;
      case "neg" -> a -> -a;
      case "abs" -> Math::abs;
      default -> a -> 1 / a;
    };
    return (a, o, from, to, s) -> {
      for (int i = from; i < to; i++) {
        o[i] = (float) f.applyAsDouble(a[i]);
      }
    };
  }

  @Test
  void vectorLoopsEqualTheirScalarTwinsBitForBit() {
    for (String name : KERNELS) {
      CpuElementwise.UnaryLoop vector = VectorUnary.loop(name);
      CpuElementwise.UnaryLoop scalar = scalar(name);
      assertNotNull(vector, name);
      qt().withFixedSeed(20261207L + name.hashCode()).withExamples(400)
          .forAll(lists().of(anyFloat()).ofSizeBetween(1, 40))
          .checkAssert(xs -> {
            float[] a = new float[xs.size()];
            for (int i = 0; i < a.length; i++) {
              a[i] = xs.get(i);
            }
            float[] v = new float[a.length];
            float[] s = new float[a.length];
            vector.run(a, v, 0, a.length, 0f);
            scalar.run(a, s, 0, a.length, 0f);
            for (int i = 0; i < a.length; i++) {
              assertEquals(Float.floatToIntBits(s[i]), Float.floatToIntBits(v[i]),
                  name + "(" + a[i] + "): vector " + v[i] + ", scalar " + s[i]);
            }
          });
    }
  }
}
