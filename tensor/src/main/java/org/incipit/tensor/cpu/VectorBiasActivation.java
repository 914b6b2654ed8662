package org.incipit.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 row loops of {@link CpuBiasActivation} on the Vector API: the same IEEE operations
 * lane by lane (an add, a compare, a multiply by exactly 1 or 0), so the same bits as the scalar
 * loops, which also run the last {@code cols mod L} elements of a row ({@link
 * CpuBiasActivation#forwardRow}, {@link CpuBiasActivation#backwardRow}: masked loads fall back to
 * Java code in JDK 17's C2). The bias gradient's double sums stay scalar in CpuBiasActivation: JDK
 * 17 does not compile a float → double vector conversion (it ran 3–40× slower than scalar code).
 * At 512 × 512 the ReLU backward took 474 µs with scalar loops. Loaded only when
 * {@link VectorSupport#AVAILABLE}.
 */
final class VectorBiasActivation {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorBiasActivation() {}

  /** o[i0 + j] = act(a[i0 + j] + c[j]) for j &lt; cols, with relu(v) = v &gt; 0 ? v : 0 (so relu(NaN) = 0). */
  static void forwardRow(float[] a, float[] c, float[] o, int i0, int cols, boolean relu) {
    int j = 0;
    for (; j <= cols - L; j += L) {
      FloatVector v = FloatVector.fromArray(S, a, i0 + j).add(FloatVector.fromArray(S, c, j));
      if (relu) {
        v = FloatVector.zero(S).blend(v, v.compare(VectorOperators.GT, 0f));
      }
      v.intoArray(o, i0 + j);
    }
    CpuBiasActivation.forwardRow(a, c, o, i0, j, cols, relu);
  }

  /** o[base + j] = g[base + j] · (y[base + j] &gt; 0 ? 1 : 0) for j &lt; len (relu), else g. */
  static void backwardRow(float[] g, float[] y, float[] o, int base, int len, boolean relu) {
    if (!relu) {
      System.arraycopy(g, base, o, base, len);
      return;
    }
    FloatVector one = FloatVector.broadcast(S, 1f);
    int j = 0;
    for (; j <= len - L; j += L) {
      FloatVector active = FloatVector.zero(S).blend(one, FloatVector.fromArray(S, y, base + j).compare(VectorOperators.GT, 0f));
      FloatVector.fromArray(S, g, base + j).mul(active).intoArray(o, base + j);
    }
    CpuBiasActivation.backwardRow(g, y, o, base, j, len, true);
  }
}
