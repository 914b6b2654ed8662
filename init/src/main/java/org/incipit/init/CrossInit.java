package org.incipit.init;

import java.util.function.UnaryOperator;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;

/**
 * Cross Initialization for textual inversion: a new pseudo-token's <i>input</i> embedding starts at
 * the text encoder's <i>output</i> for the mean embedding of many names, because learned embeddings
 * drift to the scale of encoder outputs (about 100× a normal token's norm in Stable Diffusion's CLIP).
 * <pre>
 * m_c = (1/N) Σ_names Emb(name)[c]                 c = 1 … C (the name's first C tokens: first name, surname)
 * v0  = TE([prefix; m_1 … m_C; suffix])[p + 1 … p + C]    (p = |prefix|: the outputs at the m positions)
 * v_c ← v0_c   (the "cross": an output written into the input-embedding table)
 * L = L_task + λ · (1/C) Σ_c ‖v_c − v0_c‖₂,   λ = 1e−5   (unsquared L2 distance)
 * ∂/∂v_c  λ/C · (v_c − v0_c)/‖v_c − v0_c‖,   and 0 at v_c = v0_c (a subgradient)
 * </pre>
 *
 * <p>Paper: L. Pang, J. Yin, H. Xie, Q. Wang, Q. Li, X. Mao, 2023, "Cross Initialization for
 * Personalized Text-to-Image Generation" (CVPR 2024), arXiv:2312.15905; reference code
 * lyuPang/CrossInitialization ({@code celeb_names_cross_init}: prefix = BOS, suffix = EOS and padding
 * to 77 positions, C = 2).
 *
 * <p>Choices: the encoder is any function from an embedding sequence (1, T, d) to outputs (1, T, d),
 * so a caller supplies its own prefix and suffix rows (the char-GPT of the study has no BOS/EOS and
 * passes none); the distance uses s/√max(s, 1e−30) for s = ‖v_c − v0_c‖², exact off the origin and
 * with value and gradient 0 at v = v0 (autodiff through √s would give 0/0). v0 is computed without
 * gradient (detached).
 *
 * <p>Held by {@code CrossInitTest} (init: v0 is the encoder output at the name positions and is
 * deterministic, the regulariser's value and gradient, zero at init, frozen rows untouched);
 * studied by {@code cross-init}.
 */
public final class CrossInit {
  /** The reference's regularisation weight λ. */
  public static final double LAMBDA = 1e-5;
  private static final double TINY = 1e-30;

  private CrossInit() {}

  /** m (C, d): the mean over N names of their first C token embeddings, from (N, C, d). */
  public static Tensor meanNameEmbeddings(Tensor nameEmbeddings) {
    if (nameEmbeddings.rank() != 3 || nameEmbeddings.size(0) < 1) {
      throw new IllegalArgumentException("cross init: name embeddings must be (N ≥ 1, C, d), got "
          + nameEmbeddings.shape());
    }
    return nameEmbeddings.detach().mean(0);                                        // (C, d)
  }

  /**
   * v0 (C, d) = encoder([prefix; m; suffix])[p … p + C): the encoder outputs at the positions of m.
   *
   * @param encoder maps (1, T, d) input embeddings to (1, T, d) outputs
   * @param prefix rows before m (p, d), or null for none
   * @param m the mean name embeddings (C, d)
   * @param suffix rows after m (s, d), or null for none
   */
  public static Tensor init(UnaryOperator<Tensor> encoder, Tensor prefix, Tensor m, Tensor suffix) {
    if (m.rank() != 2 || prefix != null && (prefix.rank() != 2 || prefix.size(1) != m.size(1))
        || suffix != null && (suffix.rank() != 2 || suffix.size(1) != m.size(1))) {
      throw new IllegalArgumentException("cross init: prefix (p, d), m (C, d) and suffix (s, d) must share d, got "
          + (prefix == null ? "none" : prefix.shape()) + ", " + m.shape() + ", "
          + (suffix == null ? "none" : suffix.shape()));
    }
    int p = prefix == null ? 0 : prefix.size(0);
    Tensor seq = m.detach();
    if (prefix != null) {
      seq = Tensors.cat(0, prefix.detach(), seq);
    }
    if (suffix != null) {
      seq = Tensors.cat(0, seq, suffix.detach());
    }
    Tensor out = encoder.apply(seq.unsqueeze(0));                                  // (1, T, d)
    if (out.rank() != 3 || out.size(1) != seq.size(0)) {
      throw new IllegalArgumentException("cross init: the encoder must map (1, T, d) to (1, T, d′), got "
          + out.shape() + " for T = " + seq.size(0));
    }
    return out.select(0, 0).slice(0, p, p + m.size(0)).contiguous().detach();    // (C, d)
  }

  /** λ · (1/C) Σ_c ‖v_c − v0_c‖₂ for v, v0 (C, d): unsquared, with value and gradient 0 at v = v0. */
  public static Tensor regulariser(Tensor v, Tensor v0, double lambda) {
    if (v.rank() != 2 || !v.shape().equals(v0.shape())) {
      throw new IllegalArgumentException("cross init: v " + v.shape() + " and v0 " + v0.shape() + " must both be (C, d)");
    }
    Tensor s = v.sub(v0.detach()).square().sum(1);                                 // (C) ‖v_c − v0_c‖²
    Tensor dist = s.div(s.maximum(s.constant(TINY)).sqrt());                       // (C) = √s off the origin
    return dist.mean().mul(lambda);
  }
}
