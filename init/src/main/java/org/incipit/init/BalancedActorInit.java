package org.incipit.init;

import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;

/**
 * Balanced Actor Initialization (BAI): the start of an RLHF actor as a two-stage weighted merge of
 * same-architecture checkpoints, tensor by tensor.
 *
 * <pre>
 *   θ_mid = α·θ_IF  + (1 − α)·θ_RD        (instruction-following ⊕ reasoning-distilled)
 *   θ_BAI = β·θ_mid + (1 − β)·θ_pre       (⊕ the pretrained base, "to preserve foundational knowledge")
 * </pre>
 *
 * Paper: C. Zheng, Y. Ma, Y. Yang, D. Liu, J. Liu, Z. Song, Y. Song, C. Ren, H. Zhu, X. Liu, S. Qiao,
 * X. Zhou, L. Xiang, Y. Wu (ByteDance Seed), 2025, "Balanced Actor Initialization: Stable RLHF Training of
 * Distillation-Based Reasoning Models", arXiv:2509.00309. Only the abstract could be read: it describes the two stages
 * (a weighted merge of the instruction-following and the reasoning-distilled model, then of that
 * intermediate model with the pretrained base) and says that "balanced merging ratios" give the best
 * trade-off between training stability and reasoning. <b>The equations above are an inference from
 * that wording, and the paper's α and β are unverified</b>: both are parameters here (no default in
 * this class; the study sweeps α, β ∈ {¼, ½, ¾}).
 *
 * <p>Choices where the abstract is silent:
 * <ul>
 *   <li>Interpolation only: α, β ∈ [0, 1] (no extrapolation as in task arithmetic).</li>
 *   <li>Every tensor is merged with the same ratio (no per-layer ratios); the state dicts must have
 *       the same names, shapes and dtypes, and finite values.</li>
 *   <li>Arithmetic in double precision on the host, rounded once to the tensor's dtype, so merging a
 *       model with itself returns it bit for bit and ratio 1 returns the first model exactly.</li>
 * </ul>
 * Held by {@code BalancedActorInitTest} (linearity, identity, endpoint, composition, errors) and the
 * study {@code balanced-actor-init}.
 */
public final class BalancedActorInit {
  private BalancedActorInit() {}

  /**
   * θ_BAI = β·(α·θ_IF + (1 − α)·θ_RD) + (1 − β)·θ_pre.
   *
   * @throws IllegalArgumentException when a ratio is outside [0, 1] or the state dicts do not match
   */
  public static Map<String, Tensor> merge(Map<String, Tensor> instruct, Map<String, Tensor> reason,
                                          Map<String, Tensor> pretrain, double alpha, double beta) {
    return weighted(weighted(instruct, reason, alpha, "α"), pretrain, beta, "β");
  }

  /**
   * w·a + (1 − w)·b, tensor by tensor, in the order of {@code a}'s names.
   *
   * @throws IllegalArgumentException when w is outside [0, 1], the names differ, a shape or dtype
   *     differs, or a value is not finite
   */
  public static Map<String, Tensor> weighted(Map<String, Tensor> a, Map<String, Tensor> b, double w) {
    return weighted(a, b, w, "w");
  }

  private static Map<String, Tensor> weighted(Map<String, Tensor> a, Map<String, Tensor> b, double w, String ratio) {
    if (!(w >= 0 && w <= 1)) {
      throw new IllegalArgumentException("balanced_actor_init: the ratio " + ratio + " must be in [0, 1], got " + w);
    }
    if (!a.keySet().equals(b.keySet())) {
      throw new IllegalArgumentException("balanced_actor_init: the checkpoints have different tensors: "
          + a.keySet() + " vs " + b.keySet());
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : a.entrySet()) {
      Tensor x = e.getValue();
      Tensor y = b.get(e.getKey());
      if (!x.shape().equals(y.shape()) || x.dtype() != y.dtype()) {
        throw new IllegalArgumentException("balanced_actor_init: '" + e.getKey() + "' is " + x.shape() + " "
            + x.dtype() + " in one checkpoint and " + y.shape() + " " + y.dtype() + " in the other");
      }
      double[] xs = finite(e.getKey(), x);
      double[] ys = finite(e.getKey(), y);
      double[] m = new double[xs.length];
      for (int i = 0; i < m.length; i++) {
        m[i] = w * xs[i] + (1 - w) * ys[i];
      }
      out.put(e.getKey(), Tensors.of(x.dtype(), m, x.shape(), x.device()));
    }
    return out;
  }

  private static double[] finite(String name, Tensor t) {
    double[] v = t.toDoubles();
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException("balanced_actor_init: '" + name + "' holds a non-finite value ("
            + v[i] + " at flat index " + i + ")");
      }
    }
    return v;
  }
}
