package org.incipit.tensor.cpu;

import org.incipit.tensor.ErrorFunction;

/**
 * The float32 transcendental kernels of the CPU backend, built only from operations Java defines
 * exactly (+, −, ×, ÷, {@link Math#fma}, compares, bit operations) in a fixed order, so they give
 * the same bits interpreted, C1- or C2-compiled, and equal {@link VectorMath}, their Vector API
 * twin, lane for lane ({@code VectorMathProperties}). The JDK's own {@code Math.exp} and the Vector
 * API's {@code lanewise(EXP)} may not: they are intrinsics whose results depend on the JIT state.
 *
 * <p>Each function is a range reduction and a polynomial in Horner form (one fma per coefficient).
 * Error bound = the largest distance from StrictMath's double result, in ulps of the float result
 * (so it includes the unavoidable 0.5 of rounding), over every 4099th float bit pattern (1.05 M
 * inputs, every magnitude), with the measured maximum in brackets; {@code FloatMathTest} holds
 * the bounds on its own grid:
 * <pre>
 * exp      x = n·ln2 + r, |r| ≤ ln2/2; eʳ by Taylor to r⁷; 2ⁿ as two exponent-field scalings   ≤ 1 ulp   (0.88)
 * log      x = 2ᵉ·m, m ∈ [√½, √2); log m = f − s(f − R(s²)), f = m − 1, s = f/(2 + f)       ≤ 1 ulp   (0.84)
 * tanh     |x| &lt; 0.625: x + x³·P(x²) (Taylor to x¹⁹); else 1 − 2/(e^{2|x|} + 1)            ≤ 1.5 ulp (1.20)
 * sigmoid  1/(1 + e^{−x}) for x ≥ 0, e^{x}/(1 + e^{x}) below                                  ≤ 2.5 ulp (2.00)
 * softplus x above 20, else max(x, 0) + log1p(e^{−|x|}),                                       ≤ 2 ulp   (1.75)
 *          log1p(t) = log(1+t) + (t − ((1+t) − 1))/(1+t)
 * sin, cos x = k·π/2 + r (π/2 in three float parts, fma), Taylor to r⁹ / r¹⁰;                 ≤ 2 ulp   (1.43, 1.48;
 *          1.53 at cos(3.905) on a finer grid)
 *          |x| &gt; {@value #TRIG_LIMIT}: (float) StrictMath, since the three-part reduction loses
 *          digits there (a slow path, per element)
 * erf      |x| &lt; 1: x·P(2x² − 1); 1 ≤ |x| &lt; 4: 1 − e^{−x²}·Q((2|x| − 5)/3); beyond ±1   ≤ 2e-7 absolute (8.9e-8)
 *          (P, Q: Chebyshev interpolants of erf(x)/x and erfc(x)·e^{x²}, degrees 7 and 12, fitted
 *          against ErrorFunction.reference when the class loads; erfc(4) ≈ 1.5e-8 is below half an ulp of 1)
 * gelu     x·(erf(t) + 1)·½ with t = x·√½: the float ops of the composite, so the same bits as it
 * gelu′    Φ(x) + x·φ(x) = (erf(t) + 1)·½ + x·e^(−t²)·(1/√(2π)), one e^(−t²) shared by erf and φ
 * </pre>
 * Subnormal results count in ulps of their spacing, 2⁻¹⁴⁹. NaN gives NaN (its payload is not
 * specified), ±0 and ±∞ follow StrictMath.
 */
public final class FloatMath {
  /** 1.5·2²³: adding it to |v| &lt; 2²² rounds v to an integer that sits in the low mantissa bits. */
  static final float MAGIC = 12582912f;
  static final int MAGIC_BITS = 0x4B40_0000;
  static final float LOG2E = 1.44269504f;
  /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 16 significant bits, so n·LN2_HI is exact for |n| ≤ 2⁸. */
  static final float LN2_HI = 0.693145751953125f;
  static final float LN2_LO = 1.428606765330187e-06f;
  /** exp's argument is clamped to [EXP_MIN, EXP_MAX]: beyond, the result is 0 or +∞ anyway. */
  static final float EXP_MAX = 88.8f;
  static final float EXP_MIN = -104f;
  static final float[] EXP_C = {1f, 1f, 1f / 2, 1f / 6, 1f / 24, 1f / 120, 1f / 720, 1f / 5040};
  /** log: R(z) = z·(2/3 + 2z/5 + 2z²/7 + 2z³/9), from log(1+f) = 2 atanh s. */
  static final float[] LOG_C = {2f / 3, 2f / 5, 2f / 7, 2f / 9};
  static final float TWO23 = 8388608f;
  static final int SQRT_HALF_BITS = 0x3f35_04f3;
  /** Taylor coefficients of tanh(x)/x − 1 over x², to x¹⁹. */
  static final float[] TANH_C = {-0.33333333333333333f, 0.13333333333333333f, -0.053968253968253968f,
      0.021869488536155203f, -0.0088632355299021966f, 0.0035921280365724810f, -0.0014558343870513183f,
      0.00059002744094558598f, -0.00023912911424355248f};
  static final float TANH_SMALL = 0.625f;
  static final float TWO_OVER_PI = 0.6366197466850281f;
  /** π/2 = PIO2_1 + PIO2_2 + PIO2_3 + O(1e-23). */
  static final float PIO2_1 = 1.5707963705062866f;
  static final float PIO2_2 = -4.371138828673793e-08f;
  static final float PIO2_3 = -1.7151245100058819e-15f;
  static final float TRIG_LIMIT = 65536f;
  static final float[] SIN_C = {-1f / 6, 1f / 120, -1f / 5040, 1f / 362880};
  static final float[] COS_C = {1f / 24, -1f / 720, 1f / 40320, -1f / 3628800};
  /** erf's fits, in powers of u (rewritten from the Chebyshev basis; well conditioned at these degrees). */
  static final int ERF_DEGREE_P = 7;
  static final int ERF_DEGREE_Q = 12;
  static final float[] ERF_P = powerBasis(ErrorFunction.chebyshev(
      u -> { double x = Math.sqrt(u); return x == 0 ? 2 / Math.sqrt(Math.PI) : ErrorFunction.reference(x) / x; },
      0, 1, ERF_DEGREE_P));
  static final float[] ERF_Q = powerBasis(ErrorFunction.chebyshev(
      x -> (1 - ErrorFunction.reference(x)) * StrictMath.exp(x * x), 1, 4, ERF_DEGREE_Q));
  /** √½ rounded to float, as the composite GELU's scalar multiply rounds it. */
  static final float GELU_SCALE = (float) Math.sqrt(0.5);
  static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

  private FloatMath() {}

  /** The scalar loop of kernel {@code name} built on these functions, or null where there is none. */
  static CpuElementwise.UnaryLoop loop(String name) {
    return switch (name) {
      case "exp" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = exp(a[i]); } };
      case "log" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = log(a[i]); } };
      case "tanh" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = tanh(a[i]); } };
      case "sigmoid" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = sigmoid(a[i]); } };
      case "softplus" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = softplus(a[i]); } };
      case "sin" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = sin(a[i]); } };
      case "cos" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = cos(a[i]); } };
      case "erf" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = erf(a[i]); } };
      case "gelu" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = gelu(a[i]); } };
      case "gelu_grad" -> (a, o, f, t, s) -> { for (int i = f; i < t; i++) { o[i] = geluGrad(a[i]); } };
      default -> null;
    };
  }

  /** Σ cₘ uᵐ by Horner's rule, one fma per coefficient. */
  static float horner(float[] c, float u) {
    float p = c[c.length - 1];
    for (int m = c.length - 2; m >= 0; m--) {
      p = Math.fma(p, u, c[m]);
    }
    return p;
  }

  /** 2ⁿ for −126 ≤ n ≤ 127, written into the exponent field. */
  static float pow2(int n) {
    return Float.intBitsToFloat((n + 127) << 23);
  }

  /** |magnitude| with the sign bit of {@code sign}. */
  static float withSignOf(float magnitude, float sign) {
    return Float.intBitsToFloat(Float.floatToRawIntBits(magnitude) | (Float.floatToRawIntBits(sign) & 0x8000_0000));
  }

  public static float exp(float x) {
    float xc = x > EXP_MAX ? EXP_MAX : x;
    xc = xc < EXP_MIN ? EXP_MIN : xc;
    float t = Math.fma(xc, LOG2E, MAGIC);               // MAGIC + n, n = rint(x·log₂e)
    float n = t - MAGIC;
    float r = Math.fma(n, -LN2_HI, xc);
    r = Math.fma(n, -LN2_LO, r);                        // |r| ≤ ln2/2
    int ni = Float.floatToRawIntBits(t) - MAGIC_BITS;
    int n1 = ni >> 1;                                   // 2ⁿ = 2^n1 · 2^n2, both normal for n ∈ [−150, 129]
    return horner(EXP_C, r) * pow2(n1) * pow2(ni - n1);
  }

  public static float log(float x) {
    boolean subnormal = x < Float.MIN_NORMAL;
    int bits = Float.floatToRawIntBits(subnormal ? x * TWO23 : x);
    int k = (bits - SQRT_HALF_BITS) >> 23;              // x = 2ᵏ·m, m ∈ [√½, √2)
    float m = Float.intBitsToFloat(bits - (k << 23));
    float e = (Float.intBitsToFloat(MAGIC_BITS + k) - MAGIC) - (subnormal ? 23f : 0f); // exact: small integers
    float f = m - 1f;
    float s = f / (f + 2f);
    float z = s * s;
    float logm = f - s * (f - z * horner(LOG_C, z));
    float y = e * LN2_HI + Math.fma(e, LN2_LO, logm);
    y = !(x >= 0) ? Float.NaN : y;                      // x < 0 or NaN
    y = x == 0 ? Float.NEGATIVE_INFINITY : y;
    return x == Float.POSITIVE_INFINITY ? x : y;
  }

  /** log(1 + t) for t ≥ 0: log of the rounded sum, plus the rounding error of the sum over it. */
  static float log1p(float t) {
    float u = t + 1f;
    return log(u) + (t - (u - 1f)) / u;
  }

  public static float tanh(float x) {
    float a = Math.abs(x);
    float z = a * a;
    float small = Math.fma(a * z, horner(TANH_C, z), a);
    float big = 1f - 2f / (exp(a + a) + 1f);
    return withSignOf(a < TANH_SMALL ? small : big, x);
  }

  public static float sigmoid(float x) {
    float e = exp(-Math.abs(x));
    return (x >= 0 ? 1f : e) / (e + 1f);
  }

  public static float softplus(float x) {
    float y = (x > 0 ? x : 0f) + log1p(exp(-Math.abs(x)));
    return x > 20 ? x : y;
  }

  public static float sin(float x) {
    float t = Math.fma(x, TWO_OVER_PI, MAGIC);          // MAGIC + k, k = rint(2x/π)
    int q = Float.floatToRawIntBits(t);                 // k mod 4 in the low bits
    float r = reduce(x, t - MAGIC);
    float y = (q & 1) == 0 ? sinPoly(r) : cosPoly(r);
    y = Float.intBitsToFloat(Float.floatToRawIntBits(y) ^ ((q & 2) << 30));
    y = x == 0 ? x : y;                                 // sin(−0) = −0
    return Math.abs(x) > TRIG_LIMIT ? (float) StrictMath.sin(x) : y;
  }

  public static float cos(float x) {
    float t = Math.fma(x, TWO_OVER_PI, MAGIC);
    int q = Float.floatToRawIntBits(t);
    float r = reduce(x, t - MAGIC);
    float y = (q & 1) == 0 ? cosPoly(r) : sinPoly(r);
    y = Float.intBitsToFloat(Float.floatToRawIntBits(y) ^ (((q + 1) & 2) << 30));
    return Math.abs(x) > TRIG_LIMIT ? (float) StrictMath.cos(x) : y;
  }

  /** x − k·π/2 with π/2 in three parts, each product exact inside its fma. */
  static float reduce(float x, float k) {
    float r = Math.fma(k, -PIO2_1, x);
    r = Math.fma(k, -PIO2_2, r);
    return Math.fma(k, -PIO2_3, r);
  }

  static float sinPoly(float r) {
    float z = r * r;
    return Math.fma(r * z, horner(SIN_C, z), r);
  }

  static float cosPoly(float r) {
    float z = r * r;
    return Math.fma(z * z, horner(COS_C, z), Math.fma(z, -0.5f, 1f));
  }

  public static float erf(float x) {
    return erf(x, exp(-(x * x)));
  }

  /** erf(x) given e = e^(−x²) (computed apart, as the vector loops must). */
  static float erf(float x, float e) {
    float a = Math.abs(x);
    float z = a * a;
    float small = a * horner(ERF_P, z * 2f - 1f);                              // |x| < 1
    float big = 1f - horner(ERF_Q, a * (2f / 3f) - 5f / 3f) * e;               // 1 ≤ |x| < 4
    float y = a < 1f ? small : big;
    y = a >= 4f ? 1f : y;
    return withSignOf(y, x);                            // NaN stays NaN through every step
  }

  /** Exact GELU ½x(1 + erf(x/√2)), in the float operations of the composite x·(erf(x·√½) + 1)·½. */
  public static float gelu(float x) {
    return x * (erf(x * GELU_SCALE) + 1f) * 0.5f;
  }

  /** GELU′(x) = Φ(x) + x·φ(x); φ(x) = e^(−x²/2)/√(2π) from the e^(−t²), t = x·√½, that erf(t) uses. */
  public static float geluGrad(float x) {
    float t = x * GELU_SCALE;
    return geluGrad(x, exp(-(t * t)));
  }

  /** GELU′(x) given e = e^(−t²), t = x·√½. */
  static float geluGrad(float x, float e) {
    return (erf(x * GELU_SCALE, e) + 1f) * 0.5f + x * e * INV_SQRT_2PI;
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
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) power[i];
    }
    return f;
  }
}
