package org.incipit.tensor;

import java.nio.charset.StandardCharsets;

/**
 * The only source of randomness in Incipit: a counter-based generator, Philox4x32-10 (Salmon,
 * Moraes, Dror, Shaw 2011, "Parallel Random Numbers: As Easy as 1, 2, 3", SC'11), keyed by a seed
 * and a stream.
 *
 * <p>An {@code Rng} is an immutable value (seed, stream). Element {@code i} of a draw is a pure
 * function of (seed, stream, i), so drawing twice from the same {@code Rng} gives the same numbers:
 * ask for new numbers by {@linkplain #fork forking} a new stream, e.g. one per parameter path
 * ({@code rng.fork("blocks.0.attn.wq")}) or per step ({@code rng.fork("dropout").fork(step)}).
 * Results therefore do not depend on construction order, thread count or backend: values are
 * drawn on the host in double precision (the transforms use {@link StrictMath}, bit-exact on every
 * JVM) and uploaded.
 *
 * <p>Counter layout: the 128-bit Philox counter is (i_lo, i_hi, stream_lo, stream_hi) and the key
 * is (seed_lo, seed_hi). Block i gives four 32-bit words; uniform number 2i uses words 0–1 and
 * 2i+1 uses words 2–3, each as a 53-bit fraction in [0, 1).
 */
public final class Rng {
  private static final int M0 = 0xD2511F53;
  private static final int M1 = 0xCD9E8D57;
  private static final int W0 = 0x9E3779B9;
  private static final int W1 = 0xBB67AE85;
  private static final double TWO_PI = 2 * Math.PI;

  private final long seed;
  private final long stream;

  private Rng(long seed, long stream) {
    this.seed = seed;
    this.stream = stream;
  }

  /** The root generator of {@code seed} (stream 0). */
  public static Rng seeded(long seed) {
    return new Rng(seed, 0L);
  }

  /** The generator with an explicit stream number (for tests and for reproducing a logged stream). */
  public static Rng of(long seed, long stream) {
    return new Rng(seed, stream);
  }

  public long seed() {
    return seed;
  }

  public long stream() {
    return stream;
  }

  /** An independent stream named by {@code name} under this one (stable across runs and JVMs). */
  public Rng fork(String name) {
    long h = 0xcbf29ce484222325L; // FNV-1a 64 over UTF-8
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return new Rng(seed, splitMix(stream ^ splitMix(h)));
  }

  /** An independent stream numbered {@code index} under this one. */
  public Rng fork(long index) {
    return new Rng(seed, splitMix(stream + 0x9E3779B97F4A7C15L * (index + 1)));
  }

  private static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The four 32-bit words of Philox4x32-10 block {@code counter}. */
  public int[] block(long counter) {
    int c0 = (int) counter;
    int c1 = (int) (counter >>> 32);
    int c2 = (int) stream;
    int c3 = (int) (stream >>> 32);
    int k0 = (int) seed;
    int k1 = (int) (seed >>> 32);
    for (int round = 0; round < 10; round++) {
      long p0 = (M0 & 0xffffffffL) * (c0 & 0xffffffffL);
      long p1 = (M1 & 0xffffffffL) * (c2 & 0xffffffffL);
      int hi0 = (int) (p0 >>> 32);
      int lo0 = (int) p0;
      int hi1 = (int) (p1 >>> 32);
      int lo1 = (int) p1;
      c0 = hi1 ^ c1 ^ k0;
      c1 = lo1;
      c2 = hi0 ^ c3 ^ k1;
      c3 = lo0;
      k0 += W0;
      k1 += W1;
    }
    return new int[] {c0, c1, c2, c3};
  }

  private static double fraction(int hi, int lo) {
    long a = (hi & 0xffffffffL) >>> 5; // 27 bits
    long b = (lo & 0xffffffffL) >>> 6; // 26 bits
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

  /** Uniform numbers 0..n-1 of this stream, in [0, 1). */
  public double[] uniform(int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i += 2) {
      int[] w = block(i >>> 1);
      out[i] = fraction(w[0], w[1]);
      if (i + 1 < n) {
        out[i + 1] = fraction(w[2], w[3]);
      }
    }
    return out;
  }

  /** Uniform numbers in [lo, hi). */
  public double[] uniform(int n, double lo, double hi) {
    double[] u = uniform(n);
    for (int i = 0; i < n; i++) {
      u[i] = lo + (hi - lo) * u[i];
    }
    return u;
  }

  /**
   * Standard normal numbers by the Box–Muller transform: pair k uses uniforms 2k and 2k+1 and
   * gives normals 2k (cosine branch) and 2k+1 (sine branch).
   */
  public double[] normal(int n) {
    double[] u = uniform(n + (n & 1));
    double[] out = new double[n];
    for (int i = 0; i < n; i += 2) {
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u[i])); // 1-u in (0, 1]
      double theta = TWO_PI * u[i + 1];
      out[i] = r * StrictMath.cos(theta);
      if (i + 1 < n) {
        out[i + 1] = r * StrictMath.sin(theta);
      }
    }
    return out;
  }

  /** Normal numbers with the given mean and standard deviation. */
  public double[] normal(int n, double mean, double std) {
    double[] z = normal(n);
    for (int i = 0; i < n; i++) {
      z[i] = mean + std * z[i];
    }
    return z;
  }

  /** Integers uniform in [0, bound). */
  public long[] integers(int n, long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("integers: bound must be positive, got " + bound);
    }
    double[] u = uniform(n);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.min(bound - 1, (long) (u[i] * bound));
    }
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates driven by this stream). */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    double[] u = uniform(Math.max(n - 1, 0));
    for (int i = n - 1; i > 0; i--) {
      int j = Math.min(i, (int) (u[n - 1 - i] * (i + 1)));
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  @Override
  public String toString() {
    return "Rng(seed=" + seed + ", stream=" + Long.toHexString(stream) + ")";
  }
}
