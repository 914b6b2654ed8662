package org.incipit.nn.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.incipit.init.Initializer;
import org.incipit.init.Scaled;
import org.incipit.nn.Module;

/**
 * Static checks for the classic initialization mistakes (the pitfalls of
 * {@code shared/USER-NEEDS.md}), run on a model as built, before training. Each rule names the
 * parameter path and the fix:
 * <ul>
 *   <li>{@value Rules#GROUPED_FANS}: fans of a grouped/depthwise conv or of a packed QKV / gate matrix
 *       taken over the whole tensor by a scheme that uses fan_out;</li>
 *   <li>{@value Rules#TRUNCATION}: a truncated normal whose absolute bounds lie beyond 3 std (no
 *       truncation in effect) or within 1 std (heavy truncation);</li>
 *   <li>{@value Rules#RESIDUAL}: ≥ {@value Rules#DEEP} residual blocks and nothing scales their branches;</li>
 *   <li>{@value Rules#PROVENANCE}: a value its recorded initializer did not draw (assigned afterwards,
 *       so a reset would silently replace it);</li>
 *   <li>{@value Rules#ORTHOGONAL}: orthogonal init of a tensor of rank &gt; 2 without a stated reshape;</li>
 *   <li>{@value Rules#EMBEDDING}: embedding rows far outside the other rows' norms (new tokens);</li>
 *   <li>{@value Rules#GAIN}: a ReLU network under tanh's gain 5/3, or a tanh network under ReLU's √2.</li>
 * </ul>
 * Each rule has a test that triggers it and one that does not ({@code LintTest}).
 */
public final class Lint {
  private Lint() {}

  /** Every finding for {@code model}, rule by rule, in path order. */
  public static List<Finding> check(Module model) {
    List<Finding> out = new ArrayList<>();
    for (BiConsumer<Module, List<Finding>> rule : Rules.ALL) {
      rule.accept(model, out);
    }
    return out;
  }

  /** {@code init} with any {@link Scaled} wrappers removed: the scheme that decides fans and shape. */
  static Initializer unwrap(Initializer init) {
    Initializer i = init;
    while (i instanceof Scaled s) {
      i = s.base();
    }
    return i;
  }
}
