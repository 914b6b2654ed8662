package org.incipit.nn.ssm;

import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.init.S4DInit;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Conv1d;
import org.incipit.nn.layers.Dropout;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * The S4D block (Gu, Gupta, Goel, Ré 2022, arXiv:2206.11893; as state-spaces/s4
 * {@code models/s4/s4d.py}): a diagonal SSM per channel applied as a long causal convolution,
 * a skip term D, then GELU, dropout and a position-wise 1×1 convolution H → 2H with a GLU.
 * <pre>
 * u (B, H, L) → y = K ∗ u + D·u → GELU → dropout → Conv1d(H, 2H, 1) → GLU over channels → (B, H, L)
 * </pre>
 * K (H, L) is {@link S4DKernel#kernel}, recomputed from the parameters on every call (so it
 * follows any L), and K ∗ u is the FFT convolution {@link Convolutions#causalConv}, O(L log L).
 *
 * <p>Parameter paths: {@code D} (H); {@code kernel.log_dt}, {@code kernel.A_real},
 * {@code kernel.A_imag}, {@code kernel.B}, {@code kernel.C} (layouts in {@link S4DInit});
 * {@code output.weight} (2H, H, 1) and {@code output.bias} (2H) with PyTorch's Conv1d default.
 * The reference trains A and Δ (and B) with learning rate min(1e−3, lr) and no weight decay.
 *
 * <pre>{@code
 * S4D layer = new S4D(64, 64, 0.1, rng.fork("s4d"));   // H = 64, N = 64, S4D-Lin, ZOH
 * Tensor y = layer.forward(u);                           // (B, 64, L) → (B, 64, L)
 * }</pre>
 */
public final class S4D extends Layer {
  private final S4DKernel kernel;
  private final Parameter d;
  private final Dropout dropout;
  private final Conv1d output;

  /** S4D-Lin with ZOH, the reference's defaults. */
  public S4D(int channels, int stateSize, double dropout, Rng rng) {
    this(channels, stateSize, S4DInit.lin(), S4DKernel.Discretization.ZOH, dropout, rng);
  }

  public S4D(int channels, int stateSize, S4DInit init, S4DKernel.Discretization discretization, double dropout,
             Rng rng) {
    this.kernel = child("kernel", new S4DKernel(channels, stateSize, init, discretization, rng.fork("kernel")));
    this.d = param("D", Shape.of(channels), init.d(), rng);
    this.dropout = child("dropout", new Dropout(dropout, rng.fork("dropout")));
    this.output = child("output", new Conv1d(channels, 2 * channels, 1, 1, 0, rng.fork("output")));
  }

  @Override
  protected Tensor compute(Tensor u) {
    Tensor y = ssm(u);                                   // (B, H, L)
    y = dropout.forward(Functional.gelu(y));
    y = output.forward(y);                               // (B, 2H, L)
    return Functional.glu(y, 1);                         // (B, H, L)
  }

  /** The SSM alone, by FFT: y = K ∗ u + D·u, (B, H, L) → (B, H, L). */
  public Tensor ssm(Tensor u) {
    kernel.checkInput(u);
    Tensor k = kernel.kernel(u.size(-1));                // (H, L)
    return Convolutions.causalConv(u, k).add(skip(u));   // (B, H, L)
  }

  /** The SSM alone by the recurrent scan (the slow reference of {@link #ssm}). */
  public Tensor ssmScan(Tensor u) {
    return kernel.scan(u).add(skip(u));                  // (B, H, L)
  }

  private Tensor skip(Tensor u) {
    return u.mul(d.value().unsqueeze(-1));               // D·u, D (H, 1)
  }

  public S4DKernel kernel() {
    return kernel;
  }

  public Parameter d() {
    return d;
  }
}
