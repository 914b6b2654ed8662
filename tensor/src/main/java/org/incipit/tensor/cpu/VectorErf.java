package org.incipit.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.incipit.tensor.ErrorFunction;

/**
 * erf in float32 on the Vector API, from two Chebyshev fits made when the class loads (against
 * {@link ErrorFunction#reference}):
 * <pre>
 * |x| &lt; 1:       erf(x) = x · P(x²)                 P of degree {@value #DEGREE_P} in u = 2x² − 1
 * 1 ≤ |x| &lt; 4:   erf(x) = 1 − e^(−x²) · Q(|x|)     Q(x) = erfc(x)·e^(x²), degree {@value #DEGREE_Q}
 * |x| ≥ 4:       erf(x) = ±1                        (erfc(4) ≈ 1.5e-8, below half an ulp of 1f)
 * </pre>
 * Both are evaluated in every lane (Horner's rule on the fits rewritten in powers of u) and blended; the result is within
 * 2e-7 of erf everywhere ({@code VectorUnaryTest}).
 */
final class VectorErf {
  static final int DEGREE_P = 7;
  static final int DEGREE_Q = 12;
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final float[] P = powerBasis(ErrorFunction.chebyshev(
      u -> { double x = Math.sqrt(u); return x == 0 ? 2 / Math.sqrt(Math.PI) : ErrorFunction.reference(x) / x; },
      0, 1, DEGREE_P));
  private static final float[] Q = powerBasis(ErrorFunction.chebyshev(
      x -> (1 - ErrorFunction.reference(x)) * Math.exp(x * x), 1, 4, DEGREE_Q));

  private VectorErf() {}

  private static float[] toFloat(double[] c) {
    float[] f = new float[c.length];
    for (int i = 0; i < c.length; i++) {
      f[i] = (float) c[i];
    }
    return f;
  }

  static void erf(float[] a, float[] o, int from, int to, float s) {
    int i = from;
    for (; i <= to - L; i += L) {
      one(FloatVector.fromArray(S, a, i)).intoArray(o, i);
    }
    if (i < to) {
      VectorMask<Float> m = S.indexInRange(i, to);
      one(FloatVector.fromArray(S, a, i, m)).intoArray(o, i, m);
    }
  }

  private static FloatVector one(FloatVector x) {
    FloatVector ax = x.abs();
    FloatVector x2 = ax.mul(ax);
    FloatVector small = ax.mul(horner(P, x2.mul(2f).sub(1f)));                  // |x| < 1
    FloatVector big = horner(Q, ax.mul(2f / 3f).sub(5f / 3f))                   // u = (2|x| − 5)/3 on [1, 4]
        .mul(x2.neg().lanewise(VectorOperators.EXP)).neg().add(1f);
    FloatVector r = big.blend(small, ax.compare(VectorOperators.LT, 1f));
    r = r.blend(FloatVector.broadcast(S, 1f), ax.compare(VectorOperators.GE, 4f));
    return r.blend(r.neg(), x.compare(VectorOperators.LT, 0f)).blend(x, x.compare(VectorOperators.NE, x)); // NaN ≠ NaN
  }

  /** Σ cₘ uᵐ by Horner's rule (one fused multiply-add per coefficient). */
  private static FloatVector horner(float[] c, FloatVector u) {
    FloatVector p = FloatVector.broadcast(S, c[c.length - 1]);
    for (int m = c.length - 2; m >= 0; m--) {
      p = p.fma(u, FloatVector.broadcast(S, c[m]));
    }
    return p;
  }

  /** Σ cₘ Tₘ(u) rewritten in powers of u (well conditioned for these low degrees on [−1, 1]). */
  static float[] powerBasis(double[] cheb) {
    int n = cheb.length;
    double[] power = new double[n];
    double[] prev = new double[n];
    double[] cur = new double[n];
    prev[0] = 1;
    power[0] += cheb[0];
    if (n > 1) {
      cur[1] = 1;
      power[1] += cheb[1];
    }
    for (int m = 2; m < n; m++) {
      double[] next = new double[n];
      for (int i = 0; i + 1 < n; i++) {
        next[i + 1] += 2 * cur[i];
      }
      for (int i = 0; i < n; i++) {
        next[i] -= prev[i];
        power[i] += cheb[m] * next[i];
      }
      prev = cur;
      cur = next;
    }
    return toFloat(power);
  }
}
