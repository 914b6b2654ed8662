package org.incipit.models.nets;

import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * A tiny autoregressive token policy: an {@link Mlp} that maps (prompt features, one-hot position,
 * one-hot previous token or BOS) to logits over the vocabulary, whose last token is EOS. It is the
 * smallest model with a response length, so a policy-gradient run can shorten or lengthen it.
 *
 * <pre>{@code
 * TokenPolicy pi = new TokenPolicy(new TokenPolicy.Config(4, 6, 8, 64), rng);
 * int[][] responses = pi.sample(prompts, rng.fork("rollout"));   // each ends at EOS or maxLen
 * Tensor logp = pi.logProb(prompts, responses);                    // (B) Σₜ log π(aₜ | sₜ)
 * }</pre>
 * Held by {@code TokenPolicyTest}: Σ over every response of π = 1, first tokens follow the softmax,
 * nll = −Σ log π / Σ lengths.
 */
public final class TokenPolicy extends Layer {
  /**
   * @param promptDim features per prompt (0-filled rows give an unconditional language model)
   * @param vocab tokens, EOS included as token {@code vocab − 1}
   * @param maxLen the most tokens a response holds (EOS included)
   * @param hidden the width of the two hidden layers
   */
  public record Config(int promptDim, int vocab, int maxLen, int hidden) {
    public Config {
      if (promptDim < 0 || vocab < 2 || maxLen < 1 || hidden < 1) {
        throw new IllegalArgumentException("token_policy: needs promptDim ≥ 0, vocab ≥ 2, maxLen ≥ 1, hidden ≥ 1, got "
            + promptDim + ", " + vocab + ", " + maxLen + ", " + hidden);
      }
    }

    public int eos() {
      return vocab - 1;
    }

    int inputs() {
      return promptDim + maxLen + vocab + 1;
    }
  }

  private final Config cfg;
  private final Mlp mlp;

  public TokenPolicy(Config cfg, Rng rng) {
    this.cfg = cfg;
    this.mlp = child("mlp", new Mlp(new int[] {cfg.inputs(), cfg.hidden(), cfg.hidden(), cfg.vocab()}, Tensor::tanh,
        Initializers.pytorchDefaultWeight(), Initializers.pytorchDefaultBias(), rng.fork("mlp")));
  }

  public Config config() {
    return cfg;
  }

  @Override
  protected Tensor compute(Tensor x) {
    return mlp.forward(x); // (N, in) → (N, vocab)
  }

  /** The input row of step t of a response to {@code prompt} whose previous token is {@code prev} (−1 = BOS). */
  private void fill(double[] row, int at, double[] prompt, int t, int prev) {
    if (prompt.length != cfg.promptDim()) {
      throw new IllegalArgumentException("token_policy: prompt has " + prompt.length + " features, expected "
          + cfg.promptDim());
    }
    int base = at * cfg.inputs();
    System.arraycopy(prompt, 0, row, base, prompt.length);
    row[base + cfg.promptDim() + t] = 1;
    row[base + cfg.promptDim() + cfg.maxLen() + (prev < 0 ? cfg.vocab() : prev)] = 1;
  }

  /** Teacher-forced logits of every token of every response, in order: (Σ lengths, vocab). */
  private Tensor stepLogits(double[][] prompts, int[][] tokens) {
    int rows = 0;
    for (int[] seq : tokens) {
      if (seq.length < 1 || seq.length > cfg.maxLen()) {
        throw new IllegalArgumentException("token_policy: a response must hold 1 to " + cfg.maxLen() + " tokens, got "
            + seq.length);
      }
      rows += seq.length;
    }
    double[] x = new double[rows * cfg.inputs()];
    int at = 0;
    for (int b = 0; b < tokens.length; b++) {
      for (int t = 0; t < tokens[b].length; t++) {
        fill(x, at++, prompts[b], t, t == 0 ? -1 : tokens[b][t - 1]);
      }
    }
    return forward(Tensors.of(DType.F32, x, rows, cfg.inputs())); // (rows, vocab)
  }

  private static Tensor targets(int[][] tokens) {
    int rows = 0;
    for (int[] seq : tokens) {
      rows += seq.length;
    }
    int[] y = new int[rows];
    int at = 0;
    for (int[] seq : tokens) {
      for (int tok : seq) {
        y[at++] = tok;
      }
    }
    return Tensors.ofInts(y, rows);
  }

  /** Σₜ log π(aₜ | prompt, a₍<ₜ₎) of each response: (B), differentiable. */
  public Tensor logProb(double[][] prompts, int[][] tokens) {
    Tensor logp = Functional.logSoftmax(stepLogits(prompts, tokens), 1); // (rows, vocab)
    Tensor y = targets(tokens); // (rows)
    Tensor picked = logp.gather(1, y.unsqueeze(1)).reshape(y.numel()); // (rows)
    int[] owner = new int[y.numel()];
    int at = 0;
    for (int b = 0; b < tokens.length; b++) {
      for (int t = 0; t < tokens[b].length; t++) {
        owner[at++] = b;
      }
    }
    return Tensors.zeros(tokens.length).indexAdd(0, Tensors.ofInts(owner, owner.length), picked); // (B)
  }

  /** Mean per-token cross-entropy of the responses (teacher forcing): the SFT / behaviour-cloning loss. */
  public Tensor nll(double[][] prompts, int[][] tokens) {
    return Losses.crossEntropy(stepLogits(prompts, tokens), targets(tokens));
  }

  /**
   * Samples one response per prompt, token by token, until EOS (kept as the last token) or
   * {@code maxLen} tokens. Step t draws its uniforms from {@code rng.fork(t)}.
   */
  public int[][] sample(double[][] prompts, Rng rng) {
    int n = prompts.length;
    int[][] seq = new int[n][cfg.maxLen()];
    int[] len = new int[n];
    boolean[] done = new boolean[n];
    try (NoGrad ignored = NoGrad.enter()) {
      for (int t = 0; t < cfg.maxLen(); t++) {
        double[] x = new double[n * cfg.inputs()];
        for (int b = 0; b < n; b++) {
          fill(x, b, prompts[b], t, t == 0 ? -1 : seq[b][t - 1]);
        }
        double[] p = Functional.softmax(forward(Tensors.of(DType.F32, x, n, cfg.inputs())), 1).toDoubles(); // (n, V)
        double[] u = rng.fork(t).uniform(n);
        for (int b = 0; b < n; b++) {
          if (!done[b]) {
            seq[b][t] = draw(p, b * cfg.vocab(), cfg.vocab(), u[b]);
            len[b] = t + 1;
            done[b] = seq[b][t] == cfg.eos();
          }
        }
      }
    }
    int[][] out = new int[n][];
    for (int b = 0; b < n; b++) {
      out[b] = java.util.Arrays.copyOf(seq[b], len[b]);
    }
    return out;
  }

  /** The index i with cdf(i−1) ≤ u < cdf(i) in p[from, from + k); the last index takes rounding leftovers. */
  static int draw(double[] p, int from, int k, double u) {
    double c = 0;
    for (int i = 0; i < k - 1; i++) {
      c += p[from + i];
      if (u < c) {
        return i;
      }
    }
    return k - 1;
  }
}
