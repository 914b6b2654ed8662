package org.incipit.nn.kan;

import java.util.function.UnaryOperator;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.init.FanMode;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A B-spline KAN layer (Liu et al. 2024, "KAN: Kolmogorov–Arnold Networks", arXiv:2404.19756), in
 * the formulation of efficient-kan (Blealtan/efficient-kan, {@code KANLinear}): every edge
 * (j ← i) carries a learnable function, a base branch plus a spline on a {@link BSplineGrid}.
 * <pre>
 * y_j = Σ_i φ_{j,i}(x_i),   φ_{j,i}(x) = w_b[j,i]·silu(x) + s[j,i]·Σ_m c[j,i,m]·B_m(x)
 * </pre>
 * computed as two matrix products: silu(x)·w_bᵀ and bases(x)·(c ⊙ s)ᵀ over the flattened
 * (in, G + k) axis. Outside the grid's extended range the spline is 0 and only the base term is
 * left (the grid is fixed; efficient-kan's {@code update_grid} is not implemented).
 *
 * <p>Parameters (efficient-kan's names and layout) and their initialisation (its defaults):
 * <pre>
 * base_weight    [out, in]         kaiming_uniform(a = √5·scale_base)   = U(±1/√in) for scale_base = 1
 * spline_weight  [out, in, G + k]  {@link SplineNoise}: min-norm fit of U(±½)·scale_noise/G at the knots
 * spline_scaler  [out, in]         kaiming_uniform(a = √5·scale_spline) = U(±1/√in) for scale_spline = 1
 * </pre>
 * As in efficient-kan, a = √5·scale is PyTorch's negative-slope parameter, not a multiplier
 * (gain² = 2/(1 + 5·scale²); Blealtan/efficient-kan#72). Without a standalone scaler the spline
 * weight is multiplied by scale_spline once at init and there is no {@code spline_scaler}.
 *
 * <pre>{@code
 * KanLinear kan = new KanLinear(64, 32, KanLinear.Options.defaults(), rng);  // G = 5, k = 3 on [−1, 1]
 * Tensor y = kan.forward(x);    // (N, 64) → (N, 32)
 * }</pre>
 */
public final class KanLinear extends Layer {
  /**
   * Configuration, efficient-kan's arguments.
   *
   * @param grid grid size G, spline order k and range
   * @param scaleNoise amplitude of the initial spline noise
   * @param scaleBase slope parameter of base_weight's init (a = √5·scale_base)
   * @param scaleSpline slope parameter of spline_scaler's init, or the spline weight's factor
   * @param standaloneScaleSpline whether each edge has a trained spline_scaler
   * @param baseActivation b(x) of the base branch (SiLU)
   */
  public record Options(BSplineGrid grid, double scaleNoise, double scaleBase, double scaleSpline,
                        boolean standaloneScaleSpline, UnaryOperator<Tensor> baseActivation) {
    /** efficient-kan's defaults: G = 5, k = 3 on [−1, 1], scale_noise 0.1, scales 1, a scaler, SiLU. */
    public static Options defaults() {
      return new Options(BSplineGrid.defaults(), 0.1, 1.0, 1.0, true, Functional::silu);
    }

    public Options withGrid(BSplineGrid g) {
      return new Options(g, scaleNoise, scaleBase, scaleSpline, standaloneScaleSpline, baseActivation);
    }

    public Options withStandaloneScaleSpline(boolean v) {
      return new Options(grid, scaleNoise, scaleBase, scaleSpline, v, baseActivation);
    }
  }

  private final Parameter baseWeight;
  private final Parameter splineWeight;
  private final Parameter splineScaler;
  private final Options options;
  private final int in;
  private final int out;

  public KanLinear(int in, int out, Options options, Rng rng) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("kan linear: needs positive widths, got " + in + " → " + out);
    }
    this.in = in;
    this.out = out;
    this.options = options;
    this.baseWeight = param("base_weight", Shape.of(out, in), slope(options.scaleBase()), rng);
    Initializer spline = new SplineNoise(options.grid(), options.scaleNoise());
    if (!options.standaloneScaleSpline()) {
      spline = spline.scaled(options.scaleSpline());
    }
    this.splineWeight = param("spline_weight", Shape.of(out, in, options.grid().count()), spline, rng);
    this.splineScaler = options.standaloneScaleSpline()
        ? param("spline_scaler", Shape.of(out, in), slope(options.scaleSpline()), rng) : null;
  }

  /** efficient-kan's defaults. */
  public KanLinear(int in, int out, Rng rng) {
    this(in, out, Options.defaults(), rng);
  }

  /** kaiming_uniform_(a = √5·scale) as efficient-kan calls it. */
  private static Initializer slope(double scale) {
    return Initializers.kaimingUniform(Math.sqrt(5) * scale, FanMode.IN, "leaky_relu");
  }

  @Override
  protected Tensor compute(Tensor x) {
    if (x.rank() < 1 || x.size(-1) != in) {
      throw new IllegalArgumentException("kan linear: expected (…, " + in + ") input, got " + x.shape());
    }
    int[] dims = x.shape().dims();
    int n = options.grid().count();
    Tensor flat = x.reshape(-1, in);                                                       // (M, in)
    Tensor base = options.baseActivation().apply(flat).matmul(baseWeight.value().transpose(0, 1)); // (M, out)
    Tensor bases = options.grid().bases(flat).reshape(flat.size(0), in * n);              // (M, in·(G+k))
    Tensor coeff = splineWeight.value();                                                   // (out, in, G+k)
    if (splineScaler != null) {
      coeff = coeff.mul(splineScaler.value().unsqueeze(-1));
    }
    Tensor spline = bases.matmul(coeff.reshape(out, in * n).transpose(0, 1));              // (M, out)
    dims[dims.length - 1] = out;
    return base.add(spline).reshape(dims);                                                 // (…, out)
  }

  public Parameter baseWeight() {
    return baseWeight;
  }

  public Parameter splineWeight() {
    return splineWeight;
  }

  /** The per-edge spline scaler, or null without a standalone scaler. */
  public Parameter splineScaler() {
    return splineScaler;
  }

  public Options options() {
    return options;
  }

  public int inFeatures() {
    return in;
  }

  public int outFeatures() {
    return out;
  }
}
