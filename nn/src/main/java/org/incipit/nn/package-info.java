/**
 * {@link org.incipit.nn.Module}, {@link org.incipit.nn.Parameter}, {@link org.incipit.nn.Layer}
 * (with hooks) and the layers, adapters and checkpoints built on them.
 *
 * <p>Depends on {@code org.incipit.init} (and through it autograd and tensor). Parameters are
 * registered explicitly and in order; a module's randomness is the {@link org.incipit.tensor.Rng}
 * stream of its path.
 */
package org.incipit.nn;
