package org.incipit.models.nets;

import org.incipit.autograd.Functional;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.DiffusionStart;
import org.incipit.init.Initializers;
import org.incipit.nn.Module;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A tiny DDPM on flat vectors (Ho, Jain, Abbeel 2020, "Denoising Diffusion Probabilistic Models",
 * arXiv:2006.11239): an MLP ε-predictor fed [x_t, sinusoidal embedding of t], trained with the
 * simple loss ‖ε − ε̂(x_t, t)‖², and ancestral sampling that can start at any step t* (the
 * structured-noise start of {@link DiffusionStart}).
 *
 * <pre>
 *   loss:  t ~ U{1..T}, ε ~ N(0, I), x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε,  L = mean (ε̂(x_t, t) − ε)²
 *   step:  x_{t−1} = (x_t − β_t/√(1−ᾱ_t)·ε̂) / √(1−β_t) + √β̃_t·z,   β̃_t = β_t·(1−ᾱ_{t−1})/(1−ᾱ_t),  z = 0 at t = 1
 *   emb:   e(t) = [sin(t·ωⱼ), cos(t·ωⱼ)],  ωⱼ = 10000^(−j/(E/2)),  j = 0 … E/2 − 1
 * </pre>
 *
 * <p>Held by {@code DiffusionStartTest.tinyDdpmSamplesFromItsStartAndLearns} (t* = 0 runs no step; a
 * short training run lowers the loss on fixed noise) and used by {@code incipit study diffusion-noise-init}.
 *
 * <pre>{@code
 * TinyDdpm ddpm = new TinyDdpm(64, 32, 128, DiffusionStart.linearBetas(100, 1e-3, 0.2), rng);
 * Tensor loss = ddpm.loss(x0, rng.fork("step").fork(t));             // x0 (B, 64)
 * Tensor xs = ddpm.sample(DiffusionStart.noisedLatent(draft, ddpm.alphaBars(), 30, r1), 30, r2);
 * }</pre>
 */
public final class TinyDdpm extends Module {
  private final Mlp net;
  private final int dim;
  private final int embed;
  private final double[] betas;
  private final double[] alphaBars;

  /** Data of {@code dim} features, a time embedding of {@code embed} (even) features, two hidden layers of {@code hidden}. */
  public TinyDdpm(int dim, int embed, int hidden, double[] betas, Rng rng) {
    if (dim < 1 || embed < 2 || embed % 2 != 0 || hidden < 1) {
      throw new IllegalArgumentException("TinyDdpm: needs dim ≥ 1, an even embedding ≥ 2 and hidden ≥ 1, got "
          + dim + ", " + embed + ", " + hidden);
    }
    this.dim = dim;
    this.embed = embed;
    this.betas = betas.clone();
    this.alphaBars = DiffusionStart.alphaBars(betas);
    this.net = child("eps", new Mlp(new int[] {dim + embed, hidden, hidden, dim}, Functional::silu,
        Initializers.heNormal(), rng.fork("eps")));
  }

  /** T, the number of diffusion steps. */
  public int steps() {
    return betas.length;
  }

  /** ᾱ₀ … ᾱ_T. */
  public double[] alphaBars() {
    return alphaBars.clone();
  }

  /** ε̂(x_t, t) for a batch x (B, dim) and one step t per row. */
  public Tensor predictNoise(Tensor x, int[] t) {
    return net.forward(Tensors.cat(1, x, embedding(t, x))); // (B, dim + E) → (B, dim)
  }

  /** The simple DDPM loss on a batch x₀ (B, dim); t and ε drawn from {@code rng}. */
  public Tensor loss(Tensor x0, Rng rng) {
    int b = x0.size(0);
    long[] draws = rng.fork("t").integers(b, steps());
    int[] t = new int[b];
    double[] signal = new double[b];
    double[] noise = new double[b];
    for (int i = 0; i < b; i++) {
      t[i] = (int) draws[i] + 1;
      signal[i] = Math.sqrt(alphaBars[t[i]]);
      noise[i] = Math.sqrt(1 - alphaBars[t[i]]);
    }
    Tensor eps = Tensors.of(x0.dtype(), rng.fork("eps").normal(b * dim), x0.shape(), x0.device()); // (B, dim)
    Tensor xt = x0.mul(column(signal, x0)).add(eps.mul(column(noise, x0))); // (B, dim)
    return predictNoise(xt, t).sub(eps).square().mean();
  }

  /** Ancestral sampling from x_{t*} = {@code start} (N, dim) down to x₀: t* network calls, no tape. */
  public Tensor sample(Tensor start, int tStar, Rng rng) {
    if (tStar < 0 || tStar > steps()) {
      throw new IllegalArgumentException("TinyDdpm.sample: t* = " + tStar + " is outside [0, " + steps() + "]");
    }
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor x = start; // (N, dim)
      int n = x.size(0);
      for (int t = tStar; t >= 1; t--) {
        int[] tt = new int[n];
        java.util.Arrays.fill(tt, t);
        double beta = betas[t - 1];
        Tensor mean = x.sub(predictNoise(x, tt).mul(beta / Math.sqrt(1 - alphaBars[t]))).mul(1 / Math.sqrt(1 - beta));
        if (t > 1) {
          double var = beta * (1 - alphaBars[t - 1]) / (1 - alphaBars[t]);
          Tensor z = Tensors.of(x.dtype(), rng.fork(t).normal(n * dim), x.shape(), x.device());
          mean = mean.add(z.mul(Math.sqrt(var)));
        }
        x = mean;
      }
      return x;
    }
  }

  /** e(t) (B, E) for steps t (B). */
  Tensor embedding(int[] t, Tensor like) {
    int half = embed / 2;
    double[] e = new double[t.length * embed];
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < half; j++) {
        double w = StrictMath.pow(10000, -(double) j / half);
        e[i * embed + j] = StrictMath.sin(t[i] * w);
        e[i * embed + half + j] = StrictMath.cos(t[i] * w);
      }
    }
    return Tensors.of(like.dtype(), e, Shape.of(t.length, embed), like.device());
  }

  private static Tensor column(double[] v, Tensor like) {
    return Tensors.of(like.dtype(), v, Shape.of(v.length, 1), like.device()); // (B, 1)
  }
}
