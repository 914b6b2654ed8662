package org.incipit.nn.prune;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensor;

/**
 * Layer (block) pruning at initialization: "When Layers Play the Lottery, all Tickets Win at
 * Initialization", Jordao, de Araújo, de Sousa Maia, Pedrini, 2023, arXiv:2301.10835 (Algorithm
 * 2). Score every removable residual block of the untrained network with a per-weight criterion
 * ({@link Saliency#grasp}, the paper's default, or {@link Saliency#snip}), remove the p blocks
 * with the lowest scores, and train the shallower network from the kept initial weights.
 * <pre>
 * score(block b) = Σ_{θ ∈ weights of b} s(θ)          s = per-weight saliency, higher = keep
 * removed = the p blocks with the lowest score          (ties: the lower index goes first)
 * </pre>
 *
 * <p>Choices where the paper is silent: the paper does not say how per-weight scores become a
 * layer score; here it is the sum (blocks of one network have equal size, so the mean ranks them the
 * same). GraSP's own sign removes weights with the largest −θ⊙Hg, so its kept-high score θ⊙Hg is
 * summed. Scores are ranked globally over all blocks (as the paper does); blocks next to a change
 * of resolution, which the paper cannot remove, do not exist in a residual MLP. Biases and norm gains
 * are not scored ({@link Pruning#weights}). Held by {@code LayerLotteryTest} (models: the sum and
 * ordering, a block whose output layer is zero is removed first, determinism, k = 0 is the same
 * network, the ticket keeps its weights).
 */
public final class LayerLottery {
  private LayerLottery() {}

  /** Σ of the per-weight scores under each prefix (e.g. {@code "blocks.3."}), in prefix order. */
  public static double[] blockScores(Map<String, Tensor> perWeight, List<String> prefixes) {
    double[] out = new double[prefixes.size()];
    for (int b = 0; b < out.length; b++) {
      String prefix = prefixes.get(b);
      boolean any = false;
      for (Map.Entry<String, Tensor> e : perWeight.entrySet()) {
        if (e.getKey().startsWith(prefix)) {
          out[b] += e.getValue().sum().item();
          any = true;
        }
      }
      if (!any) {
        throw new IllegalArgumentException("layer lottery: no scored weight under '" + prefix + "' (scored: "
            + perWeight.keySet() + ")");
      }
    }
    return out;
  }

  /** The indices of the {@code p} lowest scores, ascending by score (ties: lower index first). */
  public static int[] lowest(double[] scores, int p) {
    if (p < 0 || p > scores.length) {
      throw new IllegalArgumentException("layer lottery: cannot remove " + p + " of " + scores.length + " blocks");
    }
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    int[] out = new int[p];
    for (int i = 0; i < p; i++) {
      out[i] = order[i];
    }
    return out;
  }
}
