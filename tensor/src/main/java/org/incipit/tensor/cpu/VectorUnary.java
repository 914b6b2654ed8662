package org.incipit.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised float32 loops of the hot unary kernels, found by kernel name. Transcendentals use the
 * Vector API's lanewise operations, which the JIT maps to SVML on x86 (about 0.5 ns per exp
 * against 15–20 ns for {@code (float) Math.exp}); they agree with the double-precision reference
 * of each kernel within a few float ulps ({@code VectorUnaryTest}).
 *
 * <p>Each op is its own loop, not one loop taking a {@code VectorOperators.Unary} argument: the
 * JIT intrinsifies {@code lanewise} only where the operator is a compile-time constant, and a
 * shared loop compiled on its own (on-stack replacement of a long range) would see a variable
 * operator and fall back to the boxed scalar path; a vector passed through a functional interface
 * would be boxed the same way. The tail of a range runs under a lane mask, so every
 * element is computed the same way whatever the chunking: results do not depend on the thread
 * count. Loaded only when {@link VectorSupport#AVAILABLE}.
 */
final class VectorUnary {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

  private VectorUnary() {}

  /** The loop of kernel {@code name}, or null when there is none (the reference path runs). */
  static CpuElementwise.UnaryLoop loop(String name) {
    return switch (name) {
      case "exp" -> VectorUnary::exp;
      case "log" -> VectorUnary::log;
      case "sqrt" -> VectorUnary::sqrt;
      case "tanh" -> VectorUnary::tanh;
      case "sigmoid" -> VectorUnary::sigmoid;
      case "softplus" -> VectorUnary::softplus;
      case "sin" -> VectorUnary::sin;
      case "cos" -> VectorUnary::cos;
      case "relu" -> VectorUnary::relu;
      case "neg" -> VectorUnary::neg;
      case "abs" -> VectorUnary::abs;
      case "reciprocal" -> VectorUnary::reciprocal;
      case "erf" -> VectorErf::erf;
      default -> null;
    };
  }

  private static VectorMask<Float> tail(int i, int to) {
    return S.indexInRange(i, to);
  }

  static void exp(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      FloatVector.fromArray(S, a, i).lanewise(VectorOperators.EXP).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      FloatVector.fromArray(S, a, i, m).lanewise(VectorOperators.EXP).intoArray(o, i, m);
    }
  }

  static void log(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      FloatVector.fromArray(S, a, i).lanewise(VectorOperators.LOG).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      FloatVector.fromArray(S, a, i, m).lanewise(VectorOperators.LOG).intoArray(o, i, m);
    }
  }

  static void sqrt(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      FloatVector.fromArray(S, a, i).lanewise(VectorOperators.SQRT).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      FloatVector.fromArray(S, a, i, m).lanewise(VectorOperators.SQRT).intoArray(o, i, m);
    }
  }

  static void tanh(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      FloatVector.fromArray(S, a, i).lanewise(VectorOperators.TANH).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      FloatVector.fromArray(S, a, i, m).lanewise(VectorOperators.TANH).intoArray(o, i, m);
    }
  }

  static void sin(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      FloatVector.fromArray(S, a, i).lanewise(VectorOperators.SIN).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      FloatVector.fromArray(S, a, i, m).lanewise(VectorOperators.SIN).intoArray(o, i, m);
    }
  }

  static void cos(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      FloatVector.fromArray(S, a, i).lanewise(VectorOperators.COS).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      FloatVector.fromArray(S, a, i, m).lanewise(VectorOperators.COS).intoArray(o, i, m);
    }
  }

  /** 1/(1 + e⁻ˣ): in float, e⁻ˣ overflows to +∞ for very negative x and the quotient is then 0. */
  static void sigmoid(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      FloatVector e = FloatVector.fromArray(S, a, i).neg().lanewise(VectorOperators.EXP);
      ONE.div(e.add(1f)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      FloatVector e = FloatVector.fromArray(S, a, i, m).neg().lanewise(VectorOperators.EXP);
      ONE.div(e.add(1f)).intoArray(o, i, m);
    }
  }

  /** x above 20, else log1p(eˣ) (PyTorch's threshold). */
  static void softplus(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, i);
      FloatVector y = x.lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
      y.blend(x, x.compare(VectorOperators.GT, 20f)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      FloatVector x = FloatVector.fromArray(S, a, i, m);
      FloatVector y = x.lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
      y.blend(x, x.compare(VectorOperators.GT, 20f)).intoArray(o, i, m);
    }
  }

  /** x where x &gt; 0, else 0 (NaN gives 0, like the reference). */
  static void relu(float[] a, float[] o, int from, int to, float s) {
    FloatVector zero = FloatVector.zero(S);
    int i = from;
    for (; i <= to - L; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, i);
      zero.blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      FloatVector x = FloatVector.fromArray(S, a, i, m);
      zero.blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(o, i, m);
    }
  }

  static void neg(float[] a, float[] o, int from, int to, float s) {
    for (int i = from; i < to; i++) {
      o[i] = -a[i];
    }
  }

  static void abs(float[] a, float[] o, int from, int to, float s) {
    for (int i = from; i < to; i++) {
      o[i] = Math.abs(a[i]);
    }
  }

  static void reciprocal(float[] a, float[] o, int from, int to, float s) {
    for (int i = from; i < to; i++) {
      o[i] = 1f / a[i];
    }
  }
}
