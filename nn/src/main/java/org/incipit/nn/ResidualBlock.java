package org.incipit.nn;

import java.util.List;

/**
 * A block that adds its branches to a residual stream, x ← x + f(x). It names the parameters that
 * write into the stream (the last layer of each branch, relative to the block: GPT-2's
 * {@code attn.wo.weight}, {@code mlp.proj.weight}), the targets of residual scaling — GPT-2's
 * 1/√(2L), Fixup's zero or L^(−1/(2m−2)), T-Fixup's (9N)^(−1/4). {@code incipit lint} counts these
 * blocks and checks that something scales a deep stack of them.
 */
public interface ResidualBlock {
  /** The branch-output parameters, as paths relative to this block. */
  List<String> residualOutputs();
}
