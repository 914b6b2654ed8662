package org.incipit.tensor.cpu;

import static org.incipit.tensor.cpu.FloatMath.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatMath} on the Vector API: the same IEEE operations in the same order, lane by lane
 * (add, mul, div, fma, compare, blend, bit operations on the reinterpreted lanes), so each lane
 * equals the scalar function bit for bit whether the JIT compiles the vector code to intrinsics
 * or runs its Java fallback ({@code VectorMathProperties}). No {@code lanewise} transcendental is
 * used: those are intrinsics on one path and Java code on the other, with different results.
 * Loaded only when {@link VectorSupport#AVAILABLE}.
 */
final class VectorMath {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorMath() {}

  static FloatVector horner(float[] c, FloatVector u) {
    FloatVector p = FloatVector.broadcast(S, c[c.length - 1]);
    for (int m = c.length - 2; m >= 0; m--) {
      p = p.fma(u, FloatVector.broadcast(S, c[m]));
    }
    return p;
  }

  private static FloatVector bc(float v) {
    return FloatVector.broadcast(S, v);
  }

  private static IntVector bits(FloatVector x) {
    return x.reinterpretAsInts();
  }

  private static FloatVector pow2(IntVector n) {
    return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
  }

  private static FloatVector withSignOf(FloatVector magnitude, FloatVector sign) {
    return bits(magnitude).or(bits(sign).and(0x8000_0000)).reinterpretAsFloats();
  }

  private static FloatVector where(VectorMask<Float> m, float v, FloatVector otherwise) {
    return otherwise.blend(v, m);
  }

  static FloatVector exp(FloatVector x) {
    FloatVector xc = where(x.compare(VectorOperators.GT, EXP_MAX), EXP_MAX, x);
    xc = where(xc.compare(VectorOperators.LT, EXP_MIN), EXP_MIN, xc);
    FloatVector t = xc.fma(LOG2E, MAGIC);
    FloatVector n = t.sub(MAGIC);
    FloatVector r = n.fma(bc(-LN2_HI), xc);
    r = n.fma(bc(-LN2_LO), r);
    IntVector ni = bits(t).sub(MAGIC_BITS);
    IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
    return horner(EXP_C, r).mul(pow2(n1)).mul(pow2(ni.sub(n1)));
  }

  static FloatVector log(FloatVector x) {
    VectorMask<Float> subnormal = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
    IntVector bits = bits(x.blend(x.mul(TWO23), subnormal));
    IntVector k = bits.sub(SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 23);
    FloatVector m = bits.sub(k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
    FloatVector e = k.add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC).sub(FloatVector.zero(S).blend(23f, subnormal));
    FloatVector f = m.sub(1f);
    FloatVector s = f.div(f.add(2f));
    FloatVector z = s.mul(s);
    FloatVector logm = f.sub(s.mul(f.sub(z.mul(horner(LOG_C, z)))));
    FloatVector y = e.mul(LN2_HI).add(e.fma(bc(LN2_LO), logm));
    y = where(x.compare(VectorOperators.GE, 0f).not(), Float.NaN, y);
    y = where(x.compare(VectorOperators.EQ, 0f), Float.NEGATIVE_INFINITY, y);
    return where(x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY), Float.POSITIVE_INFINITY, y);
  }

  static FloatVector log1p(FloatVector t) {
    FloatVector u = t.add(1f);
    return log(u).add(t.sub(u.sub(1f)).div(u));
  }

  static FloatVector tanh(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector z = a.mul(a);
    FloatVector small = a.mul(z).fma(horner(TANH_C, z), a);
    FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(exp(a.add(a)).add(1f)));
    return withSignOf(big.blend(small, a.compare(VectorOperators.LT, TANH_SMALL)), x);
  }

  static FloatVector sigmoid(FloatVector x) {
    FloatVector e = exp(x.abs().neg());
    FloatVector num = e.blend(1f, x.compare(VectorOperators.GE, 0f));
    return num.div(e.add(1f));
  }

  /** softplus given e = exp(−|x|) (a separate pass: C2 does not inline exp and log in one loop). */
  static FloatVector softplus(FloatVector x, FloatVector e) {
    FloatVector pos = FloatVector.zero(S).blend(x, x.compare(VectorOperators.GT, 0f));
    FloatVector y = pos.add(log1p(e));
    return y.blend(x, x.compare(VectorOperators.GT, 20f));
  }

  static FloatVector expNegAbs(FloatVector x) {
    return exp(x.abs().neg());
  }

  static FloatVector sin(FloatVector x) {
    FloatVector t = x.fma(TWO_OVER_PI, MAGIC);
    IntVector q = bits(t);
    FloatVector r = reduce(x, t.sub(MAGIC));
    VectorMask<Float> even = q.and(1).compare(VectorOperators.EQ, 0).cast(S);
    FloatVector y = cosPoly(r).blend(sinPoly(r), even);
    y = bits(y).lanewise(VectorOperators.XOR, q.and(2).lanewise(VectorOperators.LSHL, 30)).reinterpretAsFloats();
    y = y.blend(x, x.compare(VectorOperators.EQ, 0f));
    return farLanes(x, y, true);
  }

  static FloatVector cos(FloatVector x) {
    FloatVector t = x.fma(TWO_OVER_PI, MAGIC);
    IntVector q = bits(t);
    FloatVector r = reduce(x, t.sub(MAGIC));
    VectorMask<Float> even = q.and(1).compare(VectorOperators.EQ, 0).cast(S);
    FloatVector y = sinPoly(r).blend(cosPoly(r), even);
    y = bits(y).lanewise(VectorOperators.XOR, q.add(1).and(2).lanewise(VectorOperators.LSHL, 30)).reinterpretAsFloats();
    return farLanes(x, y, false);
  }

  /** Lanes with |x| &gt; TRIG_LIMIT take (float) StrictMath, as in FloatMath; rare, so a slow path. */
  private static FloatVector farLanes(FloatVector x, FloatVector y, boolean sin) {
    VectorMask<Float> far = x.abs().compare(VectorOperators.GT, TRIG_LIMIT);
    if (!far.anyTrue()) {
      return y;
    }
    float[] xs = x.toArray();
    float[] ys = y.toArray();
    for (int i = 0; i < xs.length; i++) {
      if (far.laneIsSet(i)) {
        ys[i] = (float) (sin ? StrictMath.sin(xs[i]) : StrictMath.cos(xs[i]));
      }
    }
    return FloatVector.fromArray(S, ys, 0);
  }

  private static FloatVector reduce(FloatVector x, FloatVector k) {
    FloatVector r = k.fma(bc(-PIO2_1), x);
    r = k.fma(bc(-PIO2_2), r);
    return k.fma(bc(-PIO2_3), r);
  }

  private static FloatVector sinPoly(FloatVector r) {
    FloatVector z = r.mul(r);
    return r.mul(z).fma(horner(SIN_C, z), r);
  }

  private static FloatVector cosPoly(FloatVector r) {
    FloatVector z = r.mul(r);
    return z.mul(z).fma(horner(COS_C, z), z.fma(-0.5f, 1f));
  }

  static FloatVector expNegSquare(FloatVector x) {
    FloatVector a = x.abs();
    return exp(a.mul(a).neg());
  }

  /** erf given e = exp(−x²) (a separate pass, as for softplus). */
  static FloatVector erf(FloatVector x, FloatVector e) {
    FloatVector a = x.abs();
    FloatVector z = a.mul(a);
    FloatVector small = a.mul(horner(ERF_P, z.mul(2f).sub(1f)));
    FloatVector big = FloatVector.broadcast(S, 1f).sub(horner(ERF_Q, a.mul(2f / 3f).sub(5f / 3f)).mul(e));
    FloatVector y = big.blend(small, a.compare(VectorOperators.LT, 1f));
    y = y.blend(1f, a.compare(VectorOperators.GE, 4f));
    return withSignOf(y, x);
  }

  /** GELU given e = expNegSquare(x·√½) (a separate pass, as for erf). */
  static FloatVector gelu(FloatVector x, FloatVector e) {
    return x.mul(erf(x.mul(GELU_SCALE), e).add(1f)).mul(0.5f);
  }

  /** GELU′ given e = expNegSquare(x·√½): (erf(x·√½) + 1)·½ + x·e·(1/√(2π)). */
  static FloatVector geluGrad(FloatVector x, FloatVector e) {
    return erf(x.mul(GELU_SCALE), e).add(1f).mul(0.5f).add(x.mul(e).mul(INV_SQRT_2PI));
  }
}
