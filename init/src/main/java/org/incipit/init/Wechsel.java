package org.incipit.init;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * WECHSEL: the embedding table of a model for a new language (or tokenizer), built from the source
 * model's table by matching tokens in an aligned static embedding space.
 * <pre>
 * 1. align   Q = U·Vᵀ  with  XᵀY = U·Σ·Vᵀ    (orthogonal Procrustes: Q = argmin over orthogonal Q of ‖X·Q − Y‖_F)
 *            X, Y (m×d′): static vectors of m dictionary pairs (source, target); source vectors map as x·Q
 * 2. s_ti = cos(y_t, x_i·Q)                   for every target token t and source token i
 * 3. N_t = the k source tokens of largest s_ti,   w_ti = exp(s_ti/T) / Σ_{j∈N_t} exp(s_tj/T)
 * 4. e_t = Σ_{i∈N_t} w_ti · E_src[i]          E_src: the source model's embedding table (not the static vectors)
 *    e_t ~ N(μ_src, σ_src²) per dimension     when y_t = 0 (no static vector: the random fallback)
 *    e_t = E_src[s]                           for a special token t copied from source token s
 * </pre>
 * Defaults k = 10, T = 0.1. As T → 0 the weights select the nearest neighbour; as T → ∞ they tend
 * to the plain mean of the k rows. Since w ≥ 0 and Σ w = 1, e_t lies in the convex hull of its k
 * source rows.
 *
 * <p>Paper: B. Minixhofer, F. Paischer, N. Rekabsaz, 2022, "WECHSEL: Effective initialization of
 * subword embeddings for cross-lingual transfer of monolingual language models" (NAACL 2022),
 * arXiv:2112.06598; reference code CPJKU/wechsel ({@code create_target_embeddings}).
 *
 * <p>Choices: the SVD runs in float32 (EJML), enough for d′ in the hundreds; σ_src is the population
 * standard deviation per dimension; the fallback draws from {@code rng} (the reference seeds NumPy
 * with 1234), so the same Rng gives the same rows; similarities use the L2-normalised rows, as the
 * reference; ties in the top k go to the smaller source index.
 *
 * <p>Held by {@code WechselTest} (init: Q orthogonal and recovering a noiseless rotation, convex
 * weights, the T → 0 and T → ∞ limits, a seeded fallback, copied specials); studied by
 * {@code wechsel}.
 */
public final class Wechsel {
  /** The reference's number of neighbours. */
  public static final int K = 10;
  /** The reference's temperature. */
  public static final double TEMPERATURE = 0.1;

  private Wechsel() {}

  /** The orthogonal Q (d, d) minimising ‖X·Q − Y‖_F for paired rows X, Y (m, d). */
  public static Tensor procrustes(Tensor x, Tensor y) {
    if (x.rank() != 2 || !x.shape().equals(y.shape()) || x.size(0) < 1) {
      throw new IllegalArgumentException("wechsel (procrustes): X and Y must be paired (m, d) rows, got " + x.shape()
          + ", " + y.shape());
    }
    int d = x.size(1);
    FMatrixRMaj xty = new FMatrixRMaj(d, d);
    CommonOps_FDRM.multTransA(matrix(x), matrix(y), xty);            // Xᵀ·Y (d, d)
    SingularValueDecomposition_F32<FMatrixRMaj> svd = DecompositionFactory_FDRM.svd(d, d, true, true, false);
    if (!svd.decompose(xty)) {
      throw new IllegalStateException("wechsel (procrustes): the SVD of XᵀY did not converge");
    }
    FMatrixRMaj q = new FMatrixRMaj(d, d);
    CommonOps_FDRM.multTransB(svd.getU(null, false), svd.getV(null, false), q); // U·Vᵀ
    return Tensors.of(q.data, d, d);
  }

  /** The k neighbours of one target token and their weights, by decreasing similarity. */
  public record Neighbours(int[] index, double[] weight) {}

  /** The top-k source indices of {@code similarity} and their softmax(s/T) weights. */
  public static Neighbours neighbours(double[] similarity, int k, double temperature) {
    if (k < 1 || k > similarity.length || !(temperature > 0)) {
      throw new IllegalArgumentException("wechsel: need 1 ≤ k ≤ " + similarity.length + " source tokens and T > 0, got"
          + " k = " + k + ", T = " + temperature);
    }
    Integer[] order = new Integer[similarity.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> similarity[a] != similarity[b] ? Double.compare(similarity[b], similarity[a])
        : Integer.compare(a, b));
    int[] index = new int[k];
    double[] w = new double[k];
    double sum = 0;
    for (int j = 0; j < k; j++) {
      index[j] = order[j];
      w[j] = StrictMath.exp((similarity[order[j]] - similarity[order[0]]) / temperature); // max first: stable
      sum += w[j];
    }
    for (int j = 0; j < k; j++) {
      w[j] /= sum;
    }
    return new Neighbours(index, w);
  }

  /**
   * The target table (n_t, d).
   *
   * @param srcStatic aligned static vectors of the source tokens (n_s, d′), i.e. already mapped by Q
   * @param tgtStatic static vectors of the target tokens (n_t, d′); a zero row takes the fallback
   * @param srcEmbeddings the source model's embedding table (n_s, d)
   * @param copyFrom for each target token, the source token whose row it copies (special tokens), or −1
   * @param rng the fallback's stream
   */
  public static Tensor targetEmbeddings(Tensor srcStatic, Tensor tgtStatic, Tensor srcEmbeddings, int[] copyFrom,
                                        int k, double temperature, Rng rng) {
    int ns = srcStatic.size(0);
    int nt = tgtStatic.size(0);
    int d = srcEmbeddings.size(1);
    if (srcStatic.rank() != 2 || tgtStatic.rank() != 2 || srcStatic.size(1) != tgtStatic.size(1)
        || srcEmbeddings.size(0) != ns || copyFrom.length != nt) {
      throw new IllegalArgumentException("wechsel: static vectors (n_s, d′) " + srcStatic.shape() + " and (n_t, d′) "
          + tgtStatic.shape() + ", source table (n_s, d) " + srcEmbeddings.shape() + " and " + copyFrom.length
          + " copy entries (n_t) do not fit");
    }
    double[] src = normalisedRows(srcStatic);
    double[] tgt = normalisedRows(tgtStatic);
    double[] emb = srcEmbeddings.toDoubles();
    double[][] moments = VocabularyExpansion.moments(srcEmbeddings);
    double[] fallback = rng.normal(nt * d);
    int dp = srcStatic.size(1);
    double[] out = new double[nt * d];
    for (int t = 0; t < nt; t++) {
      if (copyFrom[t] >= 0) {
        System.arraycopy(emb, copyFrom[t] * d, out, t * d, d);
      } else if (isZero(tgt, t, dp)) {
        for (int j = 0; j < d; j++) {
          out[t * d + j] = moments[0][j] + Math.sqrt(moments[1][j]) * fallback[t * d + j];
        }
      } else {
        double[] sim = new double[ns];
        for (int i = 0; i < ns; i++) {
          for (int j = 0; j < dp; j++) {
            sim[i] += tgt[t * dp + j] * src[i * dp + j];
          }
        }
        Neighbours nb = neighbours(sim, Math.min(k, ns), temperature);
        for (int a = 0; a < nb.index().length; a++) {
          for (int j = 0; j < d; j++) {
            out[t * d + j] += nb.weight()[a] * emb[nb.index()[a] * d + j];
          }
        }
      }
    }
    return Tensors.of(srcEmbeddings.dtype(), out, Shape.of(nt, d), srcEmbeddings.device());
  }

  private static boolean isZero(double[] rows, int t, int d) {
    for (int j = 0; j < d; j++) {
      if (rows[t * d + j] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Rows scaled to unit L2 norm; zero rows stay zero. */
  private static double[] normalisedRows(Tensor m) {
    int d = m.size(1);
    double[] v = m.toDoubles();
    for (int r = 0; r < m.size(0); r++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        s += v[r * d + j] * v[r * d + j];
      }
      double inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (int j = 0; j < d; j++) {
        v[r * d + j] *= inv;
      }
    }
    return v;
  }

  private static FMatrixRMaj matrix(Tensor t) {
    return new FMatrixRMaj(t.size(0), t.size(1), true, t.cast(DType.F32).toFloats());
  }
}
