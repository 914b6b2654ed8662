package org.incipit.optim;

/**
 * A learning-rate schedule: the factor that multiplies every group's base lr at a step. Schedules
 * are values (records) and pure functions of the step, so a resumed run recomputes them from
 * {@link Optimizer#steps()} and needs no schedule state.
 *
 * <p>{@code step} is the 0-based index of the step about to be taken (the number already taken).
 * Warmup is linear and never gives 0: factor (t + 1)/W for t &lt; W, so the first step already
 * moves and step W − 1 reaches 1.
 *
 * <pre>{@code
 * LrSchedule s = LrSchedule.cosine(100, 10_000, 0.1);   // warm up 100 steps, decay to 10 %
 * opt.setLrFactor(s.factor(opt.steps()));
 * }</pre>
 */
@FunctionalInterface
public interface LrSchedule {
  /** The multiplier of the base learning rates at step {@code step} (≥ 0). */
  double factor(long step);

  /** Factor 1 at every step. */
  static LrSchedule constant() {
    return new Constant();
  }

  /** (t + 1)/W for t &lt; W, then 1. {@code warmupSteps} 0 is {@link #constant()}. */
  static LrSchedule linearWarmup(long warmupSteps) {
    return new LinearWarmup(warmupSteps);
  }

  /**
   * Linear warmup over W steps, then a half cosine from 1 down to {@code minFactor} at step
   * {@code totalSteps}, and {@code minFactor} after:
   * <pre>
   * f(t) = (t + 1)/W                                       t &lt; W
   * f(t) = m + (1 − m)·½·(1 + cos(π·(t − W)/(T − W)))      W ≤ t ≤ T
   * f(t) = m                                               t &gt; T
   * </pre>
   * (Loshchilov and Hutter, 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts",
   * arXiv:1608.03983, without restarts.)
   */
  static LrSchedule cosine(long warmupSteps, long totalSteps, double minFactor) {
    return new Cosine(warmupSteps, totalSteps, minFactor);
  }

  /** γ^⌊t / stepSize⌋: the factor drops by γ every {@code stepSize} steps (PyTorch StepLR). */
  static LrSchedule stepDecay(long stepSize, double gamma) {
    return new StepDecay(stepSize, gamma);
  }

  /** See {@link LrSchedule#constant()}. */
  record Constant() implements LrSchedule {
    @Override
    public double factor(long step) {
      checkStep(step);
      return 1.0;
    }
  }

  /** See {@link LrSchedule#linearWarmup(long)}. */
  record LinearWarmup(long warmupSteps) implements LrSchedule {
    public LinearWarmup {
      if (warmupSteps < 0) {
        throw new IllegalArgumentException("warmup steps must be ≥ 0, got " + warmupSteps);
      }
    }

    @Override
    public double factor(long step) {
      checkStep(step);
      return step < warmupSteps ? (step + 1.0) / warmupSteps : 1.0;
    }
  }

  /** See {@link LrSchedule#cosine(long, long, double)}. */
  record Cosine(long warmupSteps, long totalSteps, double minFactor) implements LrSchedule {
    public Cosine {
      if (warmupSteps < 0 || totalSteps <= warmupSteps) {
        throw new IllegalArgumentException("cosine schedule needs 0 ≤ warmup < total steps, got warmup "
            + warmupSteps + ", total " + totalSteps);
      }
      if (!(minFactor >= 0 && minFactor <= 1)) {
        throw new IllegalArgumentException("cosine schedule's minimum factor must be in [0, 1], got " + minFactor);
      }
    }

    @Override
    public double factor(long step) {
      checkStep(step);
      if (step < warmupSteps) {
        return (step + 1.0) / warmupSteps;
      }
      double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
      return minFactor + (1 - minFactor) * 0.5 * (1 + StrictMath.cos(Math.PI * progress));
    }
  }

  /** See {@link LrSchedule#stepDecay(long, double)}. */
  record StepDecay(long stepSize, double gamma) implements LrSchedule {
    public StepDecay {
      if (stepSize <= 0 || !(gamma > 0) || Double.isInfinite(gamma)) {
        throw new IllegalArgumentException("step decay needs step size > 0 and a finite γ > 0, got "
            + stepSize + ", " + gamma);
      }
    }

    @Override
    public double factor(long step) {
      checkStep(step);
      return StrictMath.pow(gamma, step / stepSize);
    }
  }

  private static void checkStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("a schedule's step is ≥ 0, got " + step);
    }
  }
}
