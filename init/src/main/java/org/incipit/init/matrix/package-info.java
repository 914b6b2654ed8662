/**
 * Small-initialization schemes for low-rank matrix recovery, as plain float64 matrix code: {@link
 * org.incipit.init.matrix.SubGradientMethod} (SubGM from U₀ = α·B, Ma &amp; Fattahi 2023) and
 * {@link org.incipit.init.matrix.OverparamSensing} (symmetric/asymmetric GD from the imbalanced
 * α, α/3 init and the one-step rebalance, Xiong, Ding &amp; Du 2024), on a Gaussian {@link
 * org.incipit.init.matrix.Sensing} operator with {@link org.incipit.init.linalg.Mat} helpers.
 *
 * <p>Depends on {@code org.incipit.tensor.Rng} and {@code org.incipit.init.linalg}. Matrices are
 * row-major {@code double[]} with explicit shapes; no method mutates its arguments.
 */
package org.incipit.init.matrix;
