/**
 * The user-facing {@link org.incipit.autograd.Tensor} with its tape, the backward walk
 * ({@link org.incipit.autograd.Autograd}) that returns {@link org.incipit.autograd.Gradients},
 * {@link org.incipit.autograd.NoGrad} and {@link org.incipit.autograd.Anomaly} scopes,
 * {@link org.incipit.autograd.GradCheck}, and the composite functions of neural networks.
 *
 * <p>Depends on {@code org.incipit.tensor} only. Tensors are immutable; every op returns a new
 * tensor, views share buffers. Primitive ops live in {@code org.incipit.autograd.ops}, one class
 * each with its formula, derivative, kernel and backward rule.
 */
package org.incipit.autograd;
