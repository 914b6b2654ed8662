/**
 * State space sequence layers: {@link org.incipit.nn.ssm.S4D} (the block) and
 * {@link org.incipit.nn.ssm.S4DKernel} (the diagonal SSM, its discretisations, its convolution
 * kernel and the recurrent reference), in real Tensor arithmetic on (re, im) pairs
 * ({@link org.incipit.nn.ssm.Complex}). Initial values are {@link org.incipit.init.S4DInit}.
 *
 * <p>Depends on {@code org.incipit.init}, {@code org.incipit.nn.layers} and the FFT convolution of
 * autograd. Tensors are immutable; layers hold their parameters as {@link org.incipit.nn.Parameter}s.
 */
package org.incipit.nn.ssm;
