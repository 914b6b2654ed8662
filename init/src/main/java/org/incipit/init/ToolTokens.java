package org.incipit.init;

import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;

/**
 * Tool tokens ("toolkens") for a frozen language model: an output matrix W_τ (|T|×d) whose rows are
 * read by the model's final hidden state h next to its vocabulary head, so the model can "emit" a
 * tool; only W_τ trains. Re-initialization token learning starts W_τ from a prior built from each
 * tool's name and keeps it there with an unsquared Frobenius penalty:
 * <pre>
 * logits = [W_vocab·h ; W_τ·h]                                   (vocabulary, then tools)
 * p_j = (1/t_j) Σ_s H_j[s]          H_j (t_j×d): final-norm hidden states of the frozen LM on tool j's name
 * P_j = p_j / (‖p_j‖ · √d)          every prior row has norm 1/√d
 * W_τ ← P,     L = CE(logits, y) + λ·‖W_τ − P‖_F,   λ = 1e−2   (unsquared norm)
 * ∂/∂W_τ λ‖W_τ − P‖_F = λ(W_τ − P)/‖W_τ − P‖_F,   and 0 at W_τ = P (a subgradient)
 * </pre>
 *
 * <p>Papers: the setting, S. Hao, T. Liu, Z. Wang, Z. Hu, 2023, "ToolkenGPT: Augmenting Frozen
 * Language Models with Massive Tools via Tool Embeddings" (NeurIPS 2023), arXiv:2305.11554; the
 * prior and the regulariser, C. Li, L. Liu, B. Yu, J. Qiu, Y. Zhan, 2025, "Re-Initialization Token
 * Learning for Tool-Augmented Large Language Models", arXiv:2506.14248 (reference code
 * lichenghaobuaa/TokenLearning, {@code FunctionLM}).
 *
 * <p>Choices: the reference divides the unit rows by √5120 (LLaMA-13B's width); we use √d of the
 * model at hand. The name is run without BOS/EOS, as the reference does. ‖·‖_F is computed as
 * s/√max(s, 1e−30) with s = Σ(W − P)², which equals √s whenever ‖W − P‖ &gt; 1e−15 and has the exact
 * value 0 and gradient 0 at W = P (autodiff through √s would give 0/0 there).
 *
 * <p>Held by {@code ToolTokensTest} (init: row norms 1/√d parallel to the pooled states; the
 * regulariser's value, gradient and zero subgradient; vocabulary logits independent of the tool
 * rows; no gradient to the frozen head); studied by {@code tool-tokens}.
 */
public final class ToolTokens {
  /** The reference's regularisation weight λ. */
  public static final double LAMBDA = 1e-2;
  private static final double TINY = 1e-30;

  private ToolTokens() {}

  /** The prior P (|T|, d) from each tool's name states H_j (t_j, d): pooled, unit-normalised, divided by √d. */
  public static Tensor prior(List<Tensor> nameStates) {
    if (nameStates.isEmpty()) {
      throw new IllegalArgumentException("tool tokens: need at least one tool's name states");
    }
    int d = nameStates.get(0).size(nameStates.get(0).rank() - 1);
    Tensor[] rows = new Tensor[nameStates.size()];
    for (int j = 0; j < rows.length; j++) {
      Tensor h = nameStates.get(j).detach();
      if (h.rank() != 2 || h.size(0) < 1 || h.size(1) != d) {
        throw new IllegalArgumentException("tool tokens: tool " + j + "'s name states must be (t ≥ 1, " + d + "), got "
            + h.shape());
      }
      Tensor p = h.meanKeepDims(0);                                    // (1, d)
      double norm = Math.sqrt(p.square().sum().item());
      if (!(norm > 0)) {
        throw new IllegalArgumentException("tool tokens: tool " + j + "'s pooled name state is zero; no direction");
      }
      rows[j] = p.div(norm * Math.sqrt(d));                            // (1, d), norm 1/√d
    }
    return Tensors.cat(0, rows);                                       // (|T|, d)
  }

  /** λ·‖W − P‖_F, unsquared, with value and gradient 0 at W = P. */
  public static Tensor regulariser(Tensor w, Tensor p, double lambda) {
    if (!w.shape().equals(p.shape())) {
      throw new IllegalArgumentException("tool tokens: W " + w.shape() + " and the prior P " + p.shape() + " differ");
    }
    Tensor s = w.sub(p.detach()).square().sum();                       // ‖W − P‖²
    Tensor safe = s.maximum(s.constant(TINY)).sqrt();                  // √max(s, tiny)
    return s.div(safe).mul(lambda);                                    // = √s off the origin
  }

  /** [h·W_vocabᵀ, h·W_τᵀ]: (…, V + |T|), the vocabulary logits first and unchanged by the tool rows. */
  public static Tensor logits(Tensor h, Tensor wVocab, Tensor wTools) {
    if (wVocab.rank() != 2 || wTools.rank() != 2 || wVocab.size(1) != wTools.size(1)
        || h.size(h.rank() - 1) != wVocab.size(1)) {
      throw new IllegalArgumentException("tool tokens: h (…, d), W_vocab (V, d) and W_τ (|T|, d) do not fit: "
          + h.shape() + ", " + wVocab.shape() + ", " + wTools.shape());
    }
    return Tensors.cat(h.rank() - 1, h.matmul(wVocab.transpose(0, 1)), h.matmul(wTools.transpose(0, 1)));
  }
}
