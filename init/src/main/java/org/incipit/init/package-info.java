/**
 * Initializers as values: {@link org.incipit.init.Initializer} = (shape, fans, rng) → tensor, with
 * {@link org.incipit.init.Fans} computed from the [out, in, k…] layout and
 * {@link org.incipit.init.VarianceScaling} as the root of Glorot, He and LeCun.
 *
 * <p>Depends on {@code org.incipit.autograd} and EJML (QR for {@link org.incipit.init.Orthogonal}).
 * Every scheme's Javadoc carries its formula, its paper and the test that holds it.
 */
package org.incipit.init;
