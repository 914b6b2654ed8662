package org.incipit.nn.ssm;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.S4DInit;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * The diagonal state space model of S4D (Gu, Gupta, Goel, Ré 2022, "On the Parameterization and
 * Initialization of Diagonal State Space Models", NeurIPS 2022, arXiv:2206.11893) for H
 * independent channels, and its convolution kernel — "S4D in 2 lines". The continuous system per
 * channel is x'(t) = A·x(t) + B·u(t), y(t) = 2·Re(C·x(t)) with A diagonal, its N eigenvalues in
 * conjugate pairs, of which N/2 are stored.
 *
 * <p>Parameters (layout and initial values in {@link S4DInit}): {@code log_dt} (H), {@code A_real}
 * (H, N/2) with Re A = −exp(A_real) &lt; 0 for every value (so the system is stable by
 * construction), {@code A_imag} (H, N/2), and {@code B}, {@code C} (H, N/2, 2) as (re, im) pairs.
 *
 * <p>Discretisation with step Δ = exp(log_dt):
 * <pre>
 * ZOH       dA = e^(ΔA)                        dB = (e^(ΔA) − 1)/A · B
 * bilinear  dA = (1 + ΔA/2)/(1 − ΔA/2)         dB = Δ/(1 − ΔA/2) · B
 * </pre>
 * Re A &lt; 0 gives |dA| &lt; 1 for both. The recurrence x_t = dA·x_{t−1} + dB·u_t,
 * y_t = 2·Re(C·x_t) unrolls into the causal convolution y = K ∗ u with the kernel
 * <pre>K_l = 2·Re Σ_n C_n·dB_n·dA_n^l,   l = 0 … L−1</pre>
 * a Vandermonde product. The powers are exact exponentials for ZOH, dA^l = e^(lΔA) =
 * e^(lΔ·Re A)·(cos(lΔ·Im A) + i·sin(lΔ·Im A)); for the bilinear rule they are built by doubling,
 * [1, z, …, z^(m−1)] → [1, …, z^(2m−1)] = the same list followed by it times z^m, in ⌈log₂ L⌉
 * complex products. Everything is Tensor code; the gradients with respect to every parameter
 * come from the primitives (exp, sin, cos, mul, div, matmul, cat).
 *
 * <p>{@link #scan} runs the recurrence step by step: the slow reference the kernel is tested
 * against ({@code S4DTest#fftConvolutionEqualsTheRecurrentScan}).
 */
public final class S4DKernel extends Module {
  /** How the continuous system is sampled with step Δ. */
  public enum Discretization { ZOH, BILINEAR }

  /** The discrete system of every channel and mode: dA, dB (H, N/2). */
  public record Discrete(Complex dA, Complex dB) {}

  private final int channels;
  private final int stateSize;
  private final Discretization discretization;
  private final Parameter logDt;
  private final Parameter aReal;
  private final Parameter aImag;
  private final Parameter b;
  private final Parameter c;

  /** H channels, state size N (even: N/2 conjugate pairs), initial values from {@code init}. */
  public S4DKernel(int channels, int stateSize, S4DInit init, Discretization discretization, Rng rng) {
    if (channels < 1 || stateSize < 2 || stateSize % 2 != 0) {
      throw new IllegalArgumentException("s4d: needs H ≥ 1 channels and an even state size N ≥ 2, got H = "
          + channels + ", N = " + stateSize);
    }
    this.channels = channels;
    this.stateSize = stateSize;
    this.discretization = discretization;
    int modes = stateSize / 2;
    this.logDt = param("log_dt", Shape.of(channels), init.logDt(), rng);
    this.aReal = param("A_real", Shape.of(channels, modes), init.aReal(), rng);
    this.aImag = param("A_imag", Shape.of(channels, modes), init.aImag(), rng);
    this.b = param("B", Shape.of(channels, modes, 2), init.b(), rng);
    this.c = param("C", Shape.of(channels, modes, 2), init.c(), rng);
  }

  /** Δ = exp(log_dt), (H). */
  public Tensor dt() {
    return logDt.value().exp();
  }

  /** The continuous eigenvalues A = −exp(A_real) + i·A_imag, (H, N/2). */
  public Complex a() {
    return new Complex(aReal.value().exp().neg(), aImag.value());
  }

  /** dA and dB of {@link #discretization()}, (H, N/2). */
  public Discrete discretize() {
    Tensor dt = dt().unsqueeze(-1);                        // (H, 1)
    Complex a = a();                                       // (H, N/2)
    return discretize(dt, a, a.mul(dt));
  }

  /** dA and dB from Δ (H, 1), A and ΔA (H, N/2). */
  private Discrete discretize(Tensor dt, Complex a, Complex dtA) {
    Complex bv = Complex.ofPairs(b.value());
    if (discretization == Discretization.ZOH) {
      Complex dA = dtA.exp();
      return new Discrete(dA, dA.add(-1.0).div(a).mul(bv));
    }
    Complex den = dtA.mul(-0.5).add(1.0);                  // 1 − ΔA/2
    Complex dA = dtA.mul(0.5).add(1.0).div(den);           // (1 + ΔA/2)/(1 − ΔA/2)
    return new Discrete(dA, den.reciprocal().mul(dt).mul(bv)); // dB = Δ/(1 − ΔA/2)·B
  }

  /** The convolution kernel K (H, L) = 2·Re Σ_n C_n·dB_n·dA_n^l for l = 0 … L−1. */
  public Tensor kernel(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("s4d: the kernel length must be ≥ 1, got " + length);
    }
    Tensor dt = dt().unsqueeze(-1);                        // (H, 1)
    Complex a = a();                                       // (H, N/2)
    Complex dtA = a.mul(dt);                               // (H, N/2)
    Discrete d = discretize(dt, a, dtA);
    Complex ct = Complex.ofPairs(c.value()).mul(d.dB());  // C̃ = C·dB (H, N/2)
    Complex p = discretization == Discretization.ZOH ? zohPowers(dtA, length) : powers(d.dA(), length); // (H, N/2, L)
    Tensor re = ct.re().unsqueeze(1).matmul(p.re());       // (H, 1, L) = Σ_n C̃r·Pr
    Tensor im = ct.im().unsqueeze(1).matmul(p.im());       // (H, 1, L) = Σ_n C̃i·Pi
    return re.sub(im).squeeze(1).mul(2.0);                 // (H, L)
  }

  /** e^(l·ΔA) for l = 0 … L−1, (H, N/2, L), from ΔA (H, N/2). */
  private Complex zohPowers(Complex dtA, int length) {
    Tensor l = Tensors.arange(length).cast(logDt.value().dtype()).to(logDt.value().device()); // (L)
    Complex z = dtA.unsqueeze(-1);                         // (H, N/2, 1)
    return new Complex(z.re().mul(l), z.im().mul(l)).exp();
  }

  /** z^l for l = 0 … L−1 by doubling, (…, L) from z (…). */
  static Complex powers(Complex z, int length) {
    Complex p = new Complex(Tensors.onesLike(z.re()).unsqueeze(-1), Tensors.zerosLike(z.im()).unsqueeze(-1));
    Complex step = z.unsqueeze(-1);                        // z^m with m = 1
    int m = 1;
    while (m < length) {
      Complex next = p.mul(step);                          // z^m … z^(2m−1)
      p = new Complex(Tensors.cat(-1, p.re(), next.re()), Tensors.cat(-1, p.im(), next.im()));
      step = step.mul(step);
      m *= 2;
    }
    return p.slice(-1, 0, length);
  }

  /**
   * The recurrence without the D term, step by step: x_t = dA·x_{t−1} + dB·u_t (x_{−1} = 0),
   * y_t = 2·Re Σ_n C_n·x_t,n. Input and output (B, H, L). O(L) sequential steps: a reference.
   */
  public Tensor scan(Tensor u) {
    checkInput(u);
    Discrete d = discretize();
    Complex cv = Complex.ofPairs(c.value());
    int length = u.size(-1);
    Tensor zero = Tensors.zeros(Shape.of(u.size(0), channels, stateSize / 2), u.dtype(), u.device()); // (B, H, N/2)
    Complex x = new Complex(zero, zero);
    Tensor[] ys = new Tensor[length];
    for (int t = 0; t < length; t++) {
      Tensor ut = u.select(-1, t).unsqueeze(-1);           // (B, H, 1)
      x = d.dA().mul(x).add(d.dB().mul(ut));               // (B, H, N/2)
      ys[t] = cv.mul(x).re().sum(-1).mul(2.0);             // (B, H)
    }
    return Tensors.stack(-1, ys);                          // (B, H, L)
  }

  void checkInput(Tensor u) {
    if (u.rank() != 3 || u.size(1) != channels || u.size(2) < 1) {
      throw new IllegalArgumentException("s4d: needs input (B, H, L) with H = " + channels + " and L ≥ 1, got "
          + u.shape());
    }
  }

  public int channels() {
    return channels;
  }

  public int stateSize() {
    return stateSize;
  }

  public Discretization discretization() {
    return discretization;
  }
}
