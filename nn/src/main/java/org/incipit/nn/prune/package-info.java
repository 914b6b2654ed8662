/**
 * Pruning at initialization on a {@link org.incipit.nn.Module}: masks from layer densities
 * ({@link org.incipit.nn.prune.Pruning}) and the per-weight saliency scores that choose them
 * ({@link org.incipit.nn.prune.Saliency}: SNIP, GraSP, SynFlow). The density rules that need only
 * shapes live in {@code org.incipit.init} ({@link org.incipit.init.RandomPruning}). A mask is held
 * by the {@link org.incipit.nn.Parameter} itself, so it survives every optimizer step.
 *
 * <p>Depends on {@code org.incipit.nn}, {@code org.incipit.init}, autograd and tensor.
 */
package org.incipit.nn.prune;
