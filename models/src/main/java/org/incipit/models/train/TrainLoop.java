package org.incipit.models.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Module;
import org.incipit.optim.Clipping;
import org.incipit.optim.LrSchedule;
import org.incipit.optim.Optimizer;

/**
 * The training loop of the studies and of {@code incipit train}: for each step, set the scheduled
 * learning rate, compute the loss of that step's batch, back-propagate, clip by global norm, step;
 * every {@code evalEvery} steps (and at the end) evaluate in eval mode without a tape.
 *
 * <p>Batches are chosen by the step number ({@code loss.apply(step)}), so a run is a function of the
 * seed, and it resumes from {@link Optimizer#steps()}.
 */
public final class TrainLoop {
  private TrainLoop() {}

  /** Steps, evaluation period, clipping (≤ 0: none) and schedule. */
  public record Config(long steps, long evalEvery, double clipNorm, LrSchedule schedule) {
    public Config {
      if (steps < 0 || evalEvery < 1) {
        throw new IllegalArgumentException("train: steps must be ≥ 0 and evalEvery ≥ 1, got " + steps + ", " + evalEvery);
      }
    }
  }

  /** An evaluation: a loss and, where it makes sense, an accuracy (NaN otherwise). */
  public record Eval(double loss, double accuracy) {}

  /** The measured curves; {@code secondsPerStep} is the mean wall time of a training step, evaluations excluded. */
  public record History(List<Long> steps, List<Double> trainLoss, List<Long> evalSteps, List<Eval> evals,
                        double secondsPerStep) {
    public Eval last() {
      return evals.get(evals.size() - 1);
    }

    public double[] trainLossArray() {
      return trainLoss.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  /** Called after every step with (step, train loss) — a progress bar, a log line. */
  @FunctionalInterface
  public interface Listener {
    void onStep(long step, double loss);
  }

  public static History run(Module model, Optimizer opt, Config cfg, LongFunction<Tensor> loss,
                            Supplier<Eval> evaluate, Listener listener) {
    List<Long> steps = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    List<Long> evalSteps = new ArrayList<>();
    List<Eval> evals = new ArrayList<>();
    long start = System.nanoTime();
    long evalNanos = 0; // evaluations are not training steps: left out of secondsPerStep
    long first = opt.steps();
    model.train();
    for (long t = first; t < cfg.steps(); t++) {
      opt.setLrFactor(cfg.schedule().factor(t));
      Tensor l = loss.apply(t);
      Gradients g = l.backward();
      if (cfg.clipNorm() > 0) {
        g = Clipping.clipByGlobalNorm(g, opt.parameters().values(), cfg.clipNorm()).gradients();
      }
      opt.step(g);
      double value = l.item();
      if (!Double.isFinite(value)) {
        throw new ArithmeticException("train: the loss became " + value + " at step " + t
            + " (lower the learning rate, or run with anomaly detection to find the op)");
      }
      steps.add(t);
      losses.add(value);
      listener.onStep(t, value);
      if ((t + 1) % cfg.evalEvery() == 0 || t + 1 == cfg.steps()) {
        long evalStart = System.nanoTime();
        evalSteps.add(t + 1);
        evals.add(evaluateWithoutTape(model, evaluate));
        evalNanos += System.nanoTime() - evalStart;
      }
    }
    if (evals.isEmpty()) {
      evalSteps.add(cfg.steps());
      evals.add(evaluateWithoutTape(model, evaluate));
    }
    double perStep = steps.isEmpty() ? 0 : (System.nanoTime() - start - evalNanos) / 1e9 / steps.size();
    return new History(steps, losses, evalSteps, evals, perStep);
  }

  private static Eval evaluateWithoutTape(Module model, Supplier<Eval> evaluate) {
    model.eval();
    try (NoGrad ignored = NoGrad.enter()) {
      return evaluate.get();
    } finally {
      model.train();
    }
  }
}
