/**
 * Optimizers that consume the {@link org.incipit.autograd.Gradients} {@code backward()} returns:
 * {@link org.incipit.optim.Sgd}, {@link org.incipit.optim.AdamW} and
 * {@link org.incipit.optim.SgdSai}, with parameter groups ({@link org.incipit.optim.ParamGroup}),
 * learning-rate schedules ({@link org.incipit.optim.LrSchedule}) and gradient clipping
 * ({@link org.incipit.optim.Clipping}).
 *
 * <p>Depends on {@code org.incipit.nn} (and through it init, autograd and tensor). Tensors are
 * immutable: a step computes each parameter's next value with {@code Tensor} ops under
 * {@link org.incipit.autograd.NoGrad} — so it runs on the parameter's own device — and installs
 * it with {@link org.incipit.nn.Parameter#assign}. Optimizer state (moments, momentum buffers,
 * step counters, g-SNR values) lives in the optimizer, keyed by parameter path, and round-trips
 * through {@link org.incipit.optim.Optimizer#stateDict()} bit for bit. Hyperparameters are
 * records with {@code defaults()} and {@code withX(...)} copies; there are no builders.
 */
package org.incipit.optim;
