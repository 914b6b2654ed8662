package org.incipit.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM for small products (the per-head matrices of attention: 64 × 32 · 32 × 64) without the
 * packing of {@link VectorSgemm}, which dominates at these sizes. Row i of C is built a vector of
 * columns at a time as c ← fma(a_ip, B[p, j…], c) for p ascending — the same chain per element as
 * the big kernel and as {@code s = Math.fma(a_ip, b_pj, s)}, so results are bit-identical to them.
 * With transB, B is first transposed into a scratch k × n array. Single-threaded: callers
 * parallelise over the batch.
 */
final class VectorSmallGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  private VectorSmallGemm() {}

  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                    float[] c, int cOff) {
    float[] bb = b;
    int bo = bOff;
    if (transB) { // B is n × k: make it k × n
      float[] t = SCRATCH.get();
      if (t.length < k * n) {
        t = new float[k * n];
        SCRATCH.set(t);
      }
      for (int j = 0; j < n; j++) {
        for (int p = 0; p < k; p++) {
          t[p * n + j] = b[bOff + j * k + p];
        }
      }
      bb = t;
      bo = 0;
    }
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * n;
      int j = 0;
      for (; j <= n - L; j += L) { // full vectors: unmasked memory operations
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
          float aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
          acc = FloatVector.broadcast(S, aip).fma(FloatVector.fromArray(S, bb, bo + p * n + j), acc);
        }
        acc.intoArray(c, ci + j);
      }
      if (j < n) { // the last columns under a lane mask
        VectorMask<Float> mask = S.indexInRange(j, n);
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
          float aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
          acc = FloatVector.broadcast(S, aip).fma(FloatVector.fromArray(S, bb, bo + p * n + j, mask), acc);
        }
        acc.intoArray(c, ci + j, mask);
      }
    }
  }
}
