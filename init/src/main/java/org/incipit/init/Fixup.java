package org.incipit.init;

/**
 * Fixup: training deep residual networks without normalization by rescaling the initialization of
 * the residual branches (Zhang, Dauphin, Ma 2019, "Fixup Initialization: Residual Learning Without
 * Normalization", ICLR 2019, arXiv:1901.09321).
 *
 * <p>For a network of L residual branches of m weight layers each, x_{l+1} = x_l + F_l(x_l):
 * <pre>
 * classifier (last layer):        W = 0, b = 0
 * last layer of every branch:     W = 0
 * other branch layers:            W ~ N(0, σ²),  σ = √(2/fan) · L^(−1/(2m−2))
 * everything else (stem, shortcut projections): the standard He init, not rescaled
 * plus one scalar multiplier (init 1) per branch and scalar biases (init 0) before every
 * linear layer and activation, which the model adds (see {@code models/nets/ResidualMlp}).
 * </pre>
 * For m = 2 (a BasicBlock) the factor is L^(−1/2); for m = 3 (a Bottleneck) it is L^(−1/4). Why:
 * with the branch output zero at init each update changes every branch's output by about the
 * same amount, and the L^(−1/(2m−2)) factor makes the total change of the network's output per SGD
 * step Θ(η) independent of depth (the paper's §3).
 *
 * <p>Where the paper is silent, the official code (hongyi-zhang/Fixup,
 * {@code fixup_resnet_cifar.py}) decides: the He std uses the weight's fan_out
 * ({@code shape[0]·Πk}, {@code mode = OUT} here), the draw is a normal, and L counts branches
 * (blocks), not layers. A square Linear has fan_in = fan_out, so the choice matters only for
 * rectangular branch layers.
 *
 * <pre>{@code
 * Initializer first = Fixup.branchWeight(32, 2);   // He(fan_out) × 32^(−1/2)
 * Initializer last = Fixup.lastBranchWeight();     // zeros
 * }</pre>
 * Held by {@code FixupPropertiesTest} (the factor table, the sample variance of
 * {@link #branchWeight}, zeros where the rules say zero) and by the {@code fixup} study.
 */
public final class Fixup {
  private Fixup() {}

  /**
   * L^(−1/(2m−2)): the rescaling of every non-final layer of a branch, for {@code branches} = L ≥ 1
   * residual branches of {@code layersPerBranch} = m ≥ 2 weight layers.
   */
  public static double branchScale(int branches, int layersPerBranch) {
    if (branches < 1 || layersPerBranch < 2) {
      throw new IllegalArgumentException("fixup: need L ≥ 1 residual branches of m ≥ 2 layers, got L = "
          + branches + ", m = " + layersPerBranch);
    }
    return StrictMath.pow(branches, -1.0 / (2.0 * layersPerBranch - 2.0));
  }

  /** The He init of the official code: N(0, 2/fan_out). */
  public static Initializer he() {
    return Initializers.kaimingNormal(0, FanMode.OUT, "relu");
  }

  /** A non-final branch layer: N(0, (√(2/fan_out) · L^(−1/(2m−2)))²). */
  public static Initializer branchWeight(int branches, int layersPerBranch) {
    return he().scaled(branchScale(branches, layersPerBranch));
  }

  /** The last layer of every branch: zero. */
  public static Initializer lastBranchWeight() {
    return Initializers.zeros();
  }

  /** The classifier's weight and bias: zero. */
  public static Initializer classifier() {
    return Initializers.zeros();
  }

  /** A scalar bias before a layer or activation: 0. */
  public static Initializer scalarBias() {
    return Initializers.zeros();
  }

  /** The scalar multiplier of a branch: 1. */
  public static Initializer multiplier() {
    return Initializers.ones();
  }
}
