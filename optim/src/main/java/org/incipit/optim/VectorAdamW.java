package org.incipit.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The AdamW loop of {@link CpuUpdates} on the Vector API: the same IEEE float operations lane by
 * lane (mul, add, sqrt, div — no fused multiply-add), so the same bits, several times faster.
 * Loaded only when {@code VectorSupport.AVAILABLE}.
 */
final class VectorAdamW {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorAdamW() {}

  /** One range of the update without amsgrad; m and v may be null on the first step. */
  static void run(float[] pp, float[] gg, float[] mm, float[] vv, float[] po, float[] mo, float[] vo, int from,
                  int to, boolean decays, float decay, float fb1, float fg1, float fb2, float fg2, float inv,
                  float feps, float step) {
    int i = from;
    int l = S.length();
    for (; i <= to - l; i += l) {
      FloatVector p = FloatVector.fromArray(S, pp, i);
      FloatVector g = FloatVector.fromArray(S, gg, i);
      FloatVector m = g.mul(fg1);
      FloatVector v = g.mul(g).mul(fg2);
      m = mm != null ? FloatVector.fromArray(S, mm, i).mul(fb1).add(m) : FloatVector.zero(S).add(m);
      v = vv != null ? FloatVector.fromArray(S, vv, i).mul(fb2).add(v) : FloatVector.zero(S).add(v);
      m.intoArray(mo, i);
      v.intoArray(vo, i);
      FloatVector denom = v.lanewise(VectorOperators.SQRT).mul(inv).add(feps);
      (decays ? p.mul(decay) : p).sub(m.div(denom).mul(step)).intoArray(po, i);
    }
    // The tail with the scalar loop, the same operations as the lanes (masked vector loads fall back
    // to Java code in JDK 17's C2, and every chunk of a range has a tail).
    CpuUpdates.adamwRange(pp, gg, mm, vv, null, po, mo, vo, null, i, to, decays, decay, fb1, fg1, fb2, fg2, inv, feps,
        step);
  }
}
