package org.incipit.nn.snn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * IIR-SNN's iterative initialization and retraining: an SNN obtained by ANN → SNN conversion at
 * T₀ timesteps is retrained at T₀, and every later stage starts from the previous stage's
 * weights, thresholds and leaks at one timestep fewer, down to T = 1 (Chowdhury, Rathi, Roy 2021,
 * "One Timestep is All You Need: Training Spiking Neural Networks with Ultra Low Latency",
 * arXiv:2110.05929; code SayeedChowdhury/IIR-SNN, option {@code pretrained_snn}).
 * <pre>
 * θ₀ ← Conversion(ANN, T₀)            weights copied, V_th,l at the p-th percentile, λ_l = 1
 * for k = 0 … K:   T_k = T₀ − k  (T_K = 1)
 *   init:   θ ← θ_{k−1}               the previous stage's W, V_th, λ — nothing recomputed
 *   retrain θ at T_k                 BPTT with the surrogate, λ clamped ≤ 1 after every step
 * </pre>
 * The point of the schedule is the initialization of each stage: the T_k network starts where the
 * T_{k+1} network ended, whose thresholds and leaks have already adapted to fewer steps, instead of
 * jumping from T₀'s conversion straight to T = 1, where the percentile thresholds let most
 * neurons stay silent and the output is the Heaviside chain.
 *
 * <p>Choices where the paper is silent: the schedule may skip steps (the paper's CIFAR runs go
 * 5 → 4 → 3 → 2 → 1; {@link #schedule} builds any strictly decreasing list); each stage gets a fresh
 * optimizer, as a new run of the reference code does; the caller's {@code retrain} decides epochs,
 * learning rate and data. Thresholds and leaks are never recomputed between stages (reference).
 *
 * <pre>{@code
 * SpikingMlp snn = SpikingMlp.fromAnn(ann, 5, Lif.Options.defaults(), calibration, 90);
 * List<Stage> stages = IterativeTimestepReduction.run(snn, IterativeTimestepReduction.schedule(5, 1),
 *     t -> trainSomeEpochs(snn), t -> validationAccuracy(snn));
 * }</pre>
 * Held by {@code IterativeTimestepReductionTest} (schedule, carry-over of every parameter, order of
 * T) and the {@code iir-snn} study.
 */
public final class IterativeTimestepReduction {
  private IterativeTimestepReduction() {}

  /** Retrains the network at the given T (its parameters are the initialization). */
  @FunctionalInterface
  public interface Retrain {
    void train(int timesteps);
  }

  /** One stage: T, the metric right after the network was set to T (its init), and after retraining. */
  public record Stage(int timesteps, double atInit, double afterTraining) {}

  /** T₀, T₀ − 1, …, T_end: the paper's schedule. */
  public static int[] schedule(int from, int to) {
    if (to < 1 || from < to) {
      throw new IllegalArgumentException("iir-snn: need T₀ ≥ T_end ≥ 1, got T₀ = " + from + ", T_end = " + to);
    }
    int[] s = new int[from - to + 1];
    for (int i = 0; i < s.length; i++) {
      s[i] = from - i;
    }
    return s;
  }

  /**
   * Runs the stages on {@code snn} in order: set T, measure {@code metric} (the stage's init),
   * {@code retrain}, measure again. The schedule must be strictly decreasing and end ≥ 1.
   */
  public static List<Stage> run(Timestepped snn, int[] schedule, Retrain retrain, IntToDoubleFunction metric) {
    check(schedule);
    List<Stage> out = new ArrayList<>();
    for (int t : schedule) {
      snn.setTimesteps(t);
      double atInit = metric.applyAsDouble(t);
      retrain.train(t);
      out.add(new Stage(t, atInit, metric.applyAsDouble(t)));
    }
    return out;
  }

  private static void check(int[] schedule) {
    if (schedule.length == 0) {
      throw new IllegalArgumentException("iir-snn: the schedule is empty");
    }
    for (int i = 0; i < schedule.length; i++) {
      boolean bad = schedule[i] < 1 || (i > 0 && schedule[i] >= schedule[i - 1]);
      if (bad) {
        throw new IllegalArgumentException("iir-snn: the schedule must decrease strictly and stay ≥ 1, got "
            + java.util.Arrays.toString(schedule));
      }
    }
  }
}
