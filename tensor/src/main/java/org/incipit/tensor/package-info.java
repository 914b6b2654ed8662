/**
 * Shapes, dtypes, strided layouts, the {@link org.incipit.tensor.Backend} service-provider
 * interface every device implements, the CPU backend and the counter-based {@link
 * org.incipit.tensor.Rng}.
 *
 * <p>Depends on nothing else in Incipit. Users normally work with {@code org.incipit.autograd.Tensor};
 * this package is what a backend implements. Shapes, layouts and kernels are immutable; buffers
 * are immutable once returned (see {@link org.incipit.tensor.Buffer}).
 */
package org.incipit.tensor;
