package org.incipit.models.nets;

import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Conv2d;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.layers.Pool2d;
import org.incipit.nn.snn.Conversion;
import org.incipit.nn.snn.Lif;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A spiking CNN for 8×8 digits run for T timesteps: conv → LIF → avg-pool → conv → LIF → avg-pool →
 * accumulating linear head, with direct input encoding (IIR-SNN, Chowdhury, Rathi, Roy 2021,
 * arXiv:2110.05929). The synapses are those of {@link Cnn#withAveragePooling} under the same paths
 * ({@code conv1, conv2, head}), so a trained ANN converts by {@link #fromAnn}.
 * <pre>
 * (N,1,8,8) → conv1 → (N,16,8,8), the same current at every step → LIF → (T,N,16,8,8) spikes
 *   → avg-pool → (T·N,16,4,4) → conv2 → LIF → (T,N,32,4,4) → avg-pool → (T,N,32,2,2) → (T,N,128)
 *   → head → Σ_t → (N, classes)
 * </pre>
 * Pooling averages spikes, so the next layer's input is a fraction in {0, ¼, ½, ¾, 1}, as in the
 * reference VGG ({@code AvgPool2d} after the spike).
 *
 * <pre>{@code
 * SpikingCnn snn = new SpikingCnn(1, 10, 5, Lif.Options.defaults().withThreshold(0.5), rng);
 * Tensor logits = snn.forward(Digits.images(x));   // (N, 1, 8, 8) → (N, 10)
 * }</pre>
 */
public final class SpikingCnn extends Layer implements org.incipit.nn.snn.Timestepped {
  private final Conv2d conv1;
  private final Lif lif1;
  private final Conv2d conv2;
  private final Lif lif2;
  private final Linear head;
  private final Pool2d pool = Pool2d.avg(2, 2);
  private int timesteps;

  /** PyTorch's default initialization for the synapses; {@code options} for both LIF layers. */
  public SpikingCnn(int channels, int classes, int timesteps, Lif.Options options, Rng rng) {
    setTimesteps(timesteps);
    this.conv1 = child("conv1", new Conv2d(channels, 16, 3, 1, 1, rng.fork("conv1")));
    this.lif1 = child("lif1", new Lif(Shape.of(16, 8, 8), options));
    this.conv2 = child("conv2", new Conv2d(16, 32, 3, 1, 1, rng.fork("conv2")));
    this.lif2 = child("lif2", new Lif(Shape.of(32, 4, 4), options));
    this.head = child("head", new Linear(32 * 2 * 2, classes, rng.fork("head")));
  }

  /**
   * ANN → SNN: a spiking copy of a trained {@link Cnn#withAveragePooling} (weights and biases
   * copied), thresholds set by {@link Conversion#setThresholds} on {@code images} at the p-th
   * percentile, leaks 1.
   */
  public static SpikingCnn fromAnn(Cnn ann, int timesteps, Lif.Options options, Tensor images, double percentile) {
    if (!ann.averagePooling()) {
      throw new IllegalArgumentException("spiking cnn: conversion needs an ANN with average pooling "
          + "(Cnn.withAveragePooling); the maximum of spike trains is not the maximum of rates");
    }
    int channels = ann.namedParameters().get("conv1.weight").shape().dim(1);
    int classes = ann.namedParameters().get("head.weight").shape().dim(0);
    SpikingCnn snn = new SpikingCnn(channels, classes, timesteps, options, Rng.seeded(0));
    Conversion.copyWeights(ann, snn);
    Conversion.setThresholds(snn, images, percentile);
    return snn;
  }

  @Override
  protected Tensor compute(Tensor x) {
    int t = timesteps;
    int n = x.size(0);
    Tensor c1 = conv1.forward(x);                                            // (N, 16, 8, 8)
    Tensor o1 = lif1.forward(c1.unsqueeze(0).expand(t, n, 16, 8, 8));       // (T, N, 16, 8, 8)
    Tensor p1 = pool.forward(o1.reshape(t * n, 16, 8, 8));                   // (T·N, 16, 4, 4)
    Tensor c2 = conv2.forward(p1).reshape(t, n, 32, 4, 4);                   // (T, N, 32, 4, 4)
    Tensor o2 = lif2.forward(c2);                                            // (T, N, 32, 4, 4)
    Tensor p2 = pool.forward(o2.reshape(t * n, 32, 4, 4)).reshape(t, n, 128); // (T, N, 128)
    return head.forward(p2).sum(0);                                          // (N, classes)
  }

  public int timesteps() {
    return timesteps;
  }

  /** The number of steps T of the next forward. */
  public void setTimesteps(int t) {
    if (t < 1) {
      throw new IllegalArgumentException("spiking cnn: timesteps must be ≥ 1, got " + t);
    }
    this.timesteps = t;
  }

  public Lif lif1() {
    return lif1;
  }

  public Lif lif2() {
    return lif2;
  }
}
