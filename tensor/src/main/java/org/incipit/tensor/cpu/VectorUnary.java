package org.incipit.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised float32 loops of the hot unary kernels, found by kernel name. Transcendentals are
 * {@link VectorMath}, the lane-by-lane twin of {@link FloatMath}: each element gets the same bits
 * as the scalar loop of {@link FloatMath#loop} (which runs where the Vector API is absent), at any
 * JIT state ({@code VectorMathProperties}). The Vector API's own {@code lanewise(EXP)} and friends
 * are not used: compiled they call SVML, interpreted a Java fallback, and the two differ.
 *
 * <p>Each op is its own loop, not one loop taking an operator argument: a vector passed through a
 * functional interface would be boxed when the loop is compiled on its own. The tail of a range
 * runs under a lane mask, so every element is computed the same way whatever the chunking:
 * results do not depend on the thread count. Loaded only when {@link VectorSupport#AVAILABLE}.
 */
final class VectorUnary {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Elements per scratch block of the two-pass loops. */
  static final int BLOCK = 1024;

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
      case "erf" -> VectorUnary::erf;
      case "gelu" -> VectorUnary::gelu;
      case "gelu_grad" -> VectorUnary::geluGrad;
      default -> null;
    };
  }

  private static VectorMask<Float> tail(int i, int to) {
    return S.indexInRange(i, to);
  }

  static void exp(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.exp(FloatVector.fromArray(S, a, i)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.exp(FloatVector.fromArray(S, a, i, m)).intoArray(o, i, m);
    }
  }

  static void log(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.log(FloatVector.fromArray(S, a, i)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.log(FloatVector.fromArray(S, a, i, m)).intoArray(o, i, m);
    }
  }

  static void tanh(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.tanh(FloatVector.fromArray(S, a, i)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.tanh(FloatVector.fromArray(S, a, i, m)).intoArray(o, i, m);
    }
  }

  static void sigmoid(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.sigmoid(FloatVector.fromArray(S, a, i)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.sigmoid(FloatVector.fromArray(S, a, i, m)).intoArray(o, i, m);
    }
  }

  /** The first pass of a two-pass loop: e[i − from] from a[i] over [from, to). */
  @FunctionalInterface
  private interface FirstPass {
    void run(float[] a, float[] e, int from, int to);
  }

  /** The second pass: o[i] from a[i] and e[i − from] over [from, to). */
  @FunctionalInterface
  private interface SecondPass {
    void run(float[] a, float[] e, float[] o, int from, int to);
  }

  /**
   * Two passes over blocks of {@value #BLOCK}: an exponential into a scratch block, then the rest
   * (softplus, erf, GELU, GELU′). Each pass is its own method, and only arrays cross between them: in
   * one compiled method exp and the rest exceed C2's inlining budget, and the vectors left
   * un-inlined are boxed (ten times slower).
   */
  private static void twoPass(float[] a, float[] o, int from, int to, FirstPass first, SecondPass second) {
    float[] e = new float[Math.min(BLOCK, to - from)];
    for (int b = from; b < to; b += BLOCK) {
      int end = Math.min(to, b + BLOCK);
      first.run(a, e, b, end);
      second.run(a, e, o, b, end);
    }
  }

  static void softplus(float[] a, float[] o, int from, int to, float s) {
    twoPass(a, o, from, to, VectorUnary::expNegAbs, VectorUnary::softplus);
  }

  /** e[i − from] = expNegAbs(a[i]). */
  private static void expNegAbs(float[] a, float[] e, int from, int to) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.expNegAbs(FloatVector.fromArray(S, a, i)).intoArray(e, i - from);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.expNegAbs(FloatVector.fromArray(S, a, i, m)).intoArray(e, i - from, m);
    }
  }

  private static void softplus(float[] a, float[] e, float[] o, int from, int to) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.softplus(FloatVector.fromArray(S, a, i), FloatVector.fromArray(S, e, i - from)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.softplus(FloatVector.fromArray(S, a, i, m), FloatVector.fromArray(S, e, i - from, m)).intoArray(o, i, m);
    }
  }


  static void sin(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.sin(FloatVector.fromArray(S, a, i)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.sin(FloatVector.fromArray(S, a, i, m)).intoArray(o, i, m);
    }
  }

  static void cos(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.cos(FloatVector.fromArray(S, a, i)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.cos(FloatVector.fromArray(S, a, i, m)).intoArray(o, i, m);
    }
  }

  static void erf(float[] a, float[] o, int from, int to, float s) {
    twoPass(a, o, from, to, (x, e, f, t) -> expNegSquare(x, e, f, t, 1f), VectorUnary::erf);
  }

  /** e[i − from] = expNegSquare(a[i]·scale) (scale 1 is exact: erf's own pass). */
  private static void expNegSquare(float[] a, float[] e, int from, int to, float scale) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.expNegSquare(FloatVector.fromArray(S, a, i).mul(scale)).intoArray(e, i - from);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.expNegSquare(FloatVector.fromArray(S, a, i, m).mul(scale)).intoArray(e, i - from, m);
    }
  }

  private static void erf(float[] a, float[] e, float[] o, int from, int to) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.erf(FloatVector.fromArray(S, a, i), FloatVector.fromArray(S, e, i - from)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.erf(FloatVector.fromArray(S, a, i, m), FloatVector.fromArray(S, e, i - from, m)).intoArray(o, i, m);
    }
  }


  /**
   * Exact GELU in two passes, as erf: e^(−t²) with t = x·√½, then the rest. (A compiled driver that
   * inlined both passes would hit the same budget; jvm.options compiles each VectorUnary method as a
   * unit of its own, {@code -XX:CompileCommand=dontinline,org.incipit.tensor.cpu.VectorUnary::*}.)
   */
  static void gelu(float[] a, float[] o, int from, int to, float s) {
    twoPass(a, o, from, to, (x, e, f, t) -> expNegSquare(x, e, f, t, FloatMath.GELU_SCALE), VectorUnary::gelu);
  }

  private static void gelu(float[] a, float[] e, float[] o, int from, int to) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.gelu(FloatVector.fromArray(S, a, i), FloatVector.fromArray(S, e, i - from)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.gelu(FloatVector.fromArray(S, a, i, m), FloatVector.fromArray(S, e, i - from, m)).intoArray(o, i, m);
    }
  }

  /** GELU′ in two passes, as {@link #gelu}. */
  static void geluGrad(float[] a, float[] o, int from, int to, float s) {
    twoPass(a, o, from, to, (x, e, f, t) -> expNegSquare(x, e, f, t, FloatMath.GELU_SCALE), VectorUnary::geluGrad);
  }

  private static void geluGrad(float[] a, float[] e, float[] o, int from, int to) {
    int i = from;
    for (; i <= to - L; i += L) {
      VectorMath.geluGrad(FloatVector.fromArray(S, a, i), FloatVector.fromArray(S, e, i - from)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = tail(i, to);
      VectorMath.geluGrad(FloatVector.fromArray(S, a, i, m), FloatVector.fromArray(S, e, i - from, m))
          .intoArray(o, i, m);
    }
  }

  /** Correctly rounded (IEEE), so exact on every path. */
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
