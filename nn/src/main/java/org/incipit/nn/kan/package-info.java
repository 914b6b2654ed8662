/**
 * Kolmogorov–Arnold layers: the B-spline KAN layer ({@link org.incipit.nn.kan.KanLinear} on a
 * {@link org.incipit.nn.kan.BSplineGrid}; Liu et al. 2024, arXiv:2404.19756) and the group-rational
 * KAN of the Kolmogorov–Arnold Transformer ({@link org.incipit.nn.kan.GroupRational},
 * {@link org.incipit.nn.kan.KatBlock}; Yang &amp; Wang 2024, arXiv:2409.10594), with the rational
 * presets fitted here ({@link org.incipit.nn.kan.RationalFit}) and KAT's variance-preserving gain.
 *
 * <p>Depends on {@code org.incipit.nn} (and through it init, autograd and tensor). Every layer is a
 * composite of Tensor ops, so gradients come from the engine's primitives; {@link
 * org.incipit.nn.kan.Rational} and {@link org.incipit.nn.kan.BSplineGrid#basis} are the double
 * precision references. Layers are immutable apart from their parameters' values.
 */
package org.incipit.nn.kan;
