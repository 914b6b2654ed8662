package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.models.nets.TokenPolicy;
import org.incipit.optim.AdamW;
import org.incipit.optim.Optimizer;
import org.incipit.optim.ParamGroup;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * Training a {@link TokenPolicy}: supervised next-token training (pretraining, SFT, behaviour
 * cloning) and REINFORCE with a KL penalty to the starting policy (the RLHF recipe in its smallest
 * form). Shared by the actor-initialization studies.
 */
final class PolicyRuns {
  private PolicyRuns() {}

  /** A prompted sequence task: prompt features and a task reward for a response. */
  interface Task {
    int prompts();

    double[] features(int prompt);

    /** The task reward of {@code response} (EOS included when emitted) to prompt {@code prompt}. */
    double reward(int prompt, int[] response);
  }

  /**
   * Per-step means over the batch: task reward, response length (tokens before EOS), KL estimate;
   * and the batch standard deviation of the task reward (REINFORCE's signal: 0 means no gradient).
   */
  record Trace(double[] reward, double[] length, double[] kl, double[] spread) {}

  static Optimizer adam(TokenPolicy pi, double lr) {
    return new AdamW(ParamGroup.splitDecay(pi, AdamW.Hyper.defaults().withLr(lr).withWeightDecay(0)));
  }

  /** {@code steps} AdamW steps of teacher-forced cross-entropy on batches drawn from (prompts, seqs). */
  static double supervised(TokenPolicy pi, double[][] prompts, int[][] seqs, int steps, int batch, double lr, Rng rng) {
    Optimizer opt = adam(pi, lr);
    double last = Double.NaN;
    for (int s = 0; s < steps; s++) {
      long[] pick = rng.fork(s).integers(batch, seqs.length);
      double[][] p = new double[batch][];
      int[][] y = new int[batch][];
      for (int i = 0; i < batch; i++) {
        p[i] = prompts[(int) pick[i]];
        y[i] = seqs[(int) pick[i]];
      }
      Tensor loss = pi.nll(p, y);
      last = loss.item();
      opt.step(loss.backward());
    }
    return last;
  }

  /** Length of a response without its EOS. */
  static int length(int[] response, int eos) {
    return response.length > 0 && response[response.length - 1] == eos ? response.length - 1 : response.length;
  }

  /**
   * REINFORCE: per step, sample {@code batch} prompts and responses, score R = task reward −
   * klCoef·(log π − log π_ref) per sequence, and step AdamW on −mean((R − mean R)·log π). The
   * reference is a frozen copy of the starting policy.
   */
  static Trace reinforce(TokenPolicy pi, Task task, int steps, int batch, double lr, double klCoef, Rng rng) {
    TokenPolicy ref = new TokenPolicy(pi.config(), rng.fork("ref"));
    ref.loadStateDict(pi.stateDict());
    Optimizer opt = adam(pi, lr);
    Trace trace = new Trace(new double[steps], new double[steps], new double[steps], new double[steps]);
    for (int s = 0; s < steps; s++) {
      Rng r = rng.fork(s);
      long[] ids = r.fork("prompts").integers(batch, task.prompts());
      double[][] prompts = new double[batch][];
      for (int i = 0; i < batch; i++) {
        prompts[i] = task.features((int) ids[i]);
      }
      int[][] resp = pi.sample(prompts, r.fork("sample"));
      Tensor logp = pi.logProb(prompts, resp); // (B)
      double[] lpRef;
      try (NoGrad ignored = NoGrad.enter()) {
        lpRef = ref.logProb(prompts, resp).toDoubles();
      }
      double[] adv = score(task, ids, resp, logp.toDoubles(), lpRef, klCoef, pi.config().eos(), trace, s);
      opt.step(logp.mul(Tensors.of(DType.F32, adv, batch)).sum().neg().backward());
    }
    return trace;
  }

  /**
   * Fills step s of the trace and returns the per-sequence weights (R − R̄)/B, where R = task reward −
   * klCoef·(log π − log π_ref) and R̄ is its batch mean.
   */
  private static double[] score(Task task, long[] ids, int[][] resp, double[] lp, double[] lpRef, double klCoef,
                                int eos, Trace trace, int s) {
    int batch = ids.length;
    double[] reward = new double[batch];
    double[] total = new double[batch];
    double mean = 0;
    for (int i = 0; i < batch; i++) {
      reward[i] = task.reward((int) ids[i], resp[i]);
      double kl = lp[i] - lpRef[i];
      total[i] = reward[i] - klCoef * kl;
      mean += total[i] / batch;
      trace.reward()[s] += reward[i] / batch;
      trace.length()[s] += (double) length(resp[i], eos) / batch;
      trace.kl()[s] += kl / batch;
    }
    double[] adv = new double[batch];
    for (int i = 0; i < batch; i++) {
      adv[i] = (total[i] - mean) / batch;
      double d = reward[i] - trace.reward()[s];
      trace.spread()[s] += d * d / batch;
    }
    trace.spread()[s] = Math.sqrt(trace.spread()[s]);
    return adv;
  }

  /** Mean task reward of {@code samples} sampled responses per prompt, over every prompt (no update). */
  static double evaluate(TokenPolicy pi, Task task, int samples, Rng rng) {
    List<double[]> prompts = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (int k = 0; k < task.prompts(); k++) {
      for (int j = 0; j < samples; j++) {
        prompts.add(task.features(k));
        ids.add(k);
      }
    }
    int[][] resp = pi.sample(prompts.toArray(new double[0][]), rng);
    double sum = 0;
    for (int i = 0; i < resp.length; i++) {
      sum += task.reward(ids.get(i), resp[i]);
    }
    return sum / resp.length;
  }

  /** A copy of a policy holding {@code state}. */
  static TokenPolicy withState(TokenPolicy.Config cfg, Map<String, Tensor> state, Rng rng) {
    TokenPolicy pi = new TokenPolicy(cfg, rng);
    pi.loadStateDict(state);
    return pi;
  }
}
