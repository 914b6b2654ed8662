/**
 * Spiking layers: {@link org.incipit.nn.snn.Lif} (leaky integrate-and-fire with soft reset,
 * trainable leak and threshold, surrogate-gradient spikes, backpropagation through time) and
 * {@link org.incipit.nn.snn.Conversion} (ANN → SNN: weight copy and percentile thresholds).
 *
 * <p>Tensors are time-major, (T, N, …neurons). Depends on {@code org.incipit.nn} and, through
 * it, on autograd's {@link org.incipit.autograd.ops.Spike} primitive.
 */
package org.incipit.nn.snn;
