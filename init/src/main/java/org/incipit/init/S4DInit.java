package org.incipit.init;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * The initial values of an S4D layer, one {@link Initializer} per parameter, so any of them can be
 * replaced (Gu, Gupta, Goel, Ré 2022, "On the Parameterization and Initialization of Diagonal
 * State Space Models", NeurIPS 2022, arXiv:2206.11893; values as in state-spaces/s4
 * {@code models/s4/s4d.py} and {@code src/models/sequence/kernels/ssm.py}).
 *
 * <p>The diagonal state matrix A has N complex eigenvalues in conjugate pairs; N/2 are stored
 * and outputs take 2·Re. Complex parameters carry a trailing (re, im) axis, as
 * {@code torch.view_as_real}. With H channels:
 * <pre>
 * log_dt  (H)          log Δ                        U[log 1e−3, log 1e−1]         {@link #logDtUniform}
 * A_real  (H, N/2)     log(−Re A):  Re A = −e^A_real   log ½, so Re A = −½
 * A_imag  (H, N/2)     Im A                         Lin: π·n    Inv: (N/π)(N/(2n+1) − 1)   {@link Imag}
 *                                                   LegS: ω_n of {@link HippoLegS#spectrum}
 * B       (H, N/2, 2)  B                            1 + 0i (LegS: B̃_n of HippoLegS)  {@link ComplexConstant}
 * C       (H, N/2, 2)  C                            Re, Im ~ N(0, ½), so E|C|² = 1
 * D       (H)          skip connection              N(0, 1)
 * </pre>
 * n = 0 … N/2 − 1. Lin and Inv are the paper's two simple schemes (Inv approximates the
 * eigenvalues of HiPPO-LegS; Lin spaces the frequencies like a Fourier basis). S4D-LegS takes the
 * eigenvalues of the normal part of HiPPO-LegS themselves (every real part exactly −½, so
 * A_real keeps log ½) and B in that eigenbasis ({@link HippoLegS}). The paper's two ablations
 * (§5, Table 3): S4D-Real, A_n = −(n+1) with Im A = 0 (A_real = log(n+1)); S4D-Rand,
 * Im A_n = e^z with z ~ N(0, 1) drawn per channel and mode ({@code dplr.py} {@code init='rand'}),
 * Re A = −½. Both keep B = 1, as the reference's default {@code B_init='constant'}.
 *
 * <p>Held to these values by {@code S4DInitTest} (init, with
 * {@code legsRealAndRandFollowTheirDefinitions}) and {@code HippoLegSTest};
 * {@code S4DTest#theDiscreteStateMatrixIsStable} and
 * {@code S4DTest#initialStepsLieInTheirRangeAndInitialSystemsAreStable} (nn); and
 * {@code S4DFixtureTest} (tests: the imaginary parts and the ZOH kernel against
 * {@code fixtures/init_schemes.json}).
 *
 * <pre>{@code
 * S4D layer = new S4D(64, 64, S4DInit.inv(), S4DKernel.Discretization.ZOH, 0.1, rng);
 * S4DInit slowDt = S4DInit.lin().withLogDt(S4DInit.logDtUniform(1e-4, 1e-2));
 * }</pre>
 */
public record S4DInit(Initializer logDt, Initializer aReal, Initializer aImag, Initializer b, Initializer c,
                      Initializer d) {
  /** Δ_min and Δ_max of the reference. */
  public static final double DT_MIN = 1e-3;
  public static final double DT_MAX = 1e-1;

  /** S4D-Lin: Im A_n = π·n, with the defaults of every other parameter. */
  public static S4DInit lin() {
    return of(Imag.LIN);
  }

  /** S4D-Inv: Im A_n = (N/π)(N/(2n+1) − 1), with the defaults of every other parameter. */
  public static S4DInit inv() {
    return of(Imag.INV);
  }

  /** S4D-LegS: the eigenvalues −½ + iω_n of the normal part of HiPPO-LegS and B̃ = |V*·B_LegS|. */
  public static S4DInit legs() {
    S4DInit base = of(Imag.LEGS);
    return new S4DInit(base.logDt, base.aReal, base.aImag, new LegSInput(), base.c, base.d);
  }

  /** S4D-Real (ablation): A_n = −(n+1), real; A_real = log(n+1) and Im A = 0. */
  public static S4DInit real() {
    S4DInit base = of(Initializers.zeros());
    return new S4DInit(base.logDt, new RealLogN(), base.aImag, base.b, base.c, base.d);
  }

  /** S4D-Rand (ablation): Im A_n = e^z, z ~ N(0, 1) i.i.d. per channel and mode; Re A = −½. */
  public static S4DInit rand() {
    return of(new RandImag());
  }

  /** The default log_dt, A_real, B, C and D with {@code aImag} for the imaginary parts. */
  public static S4DInit of(Initializer aImag) {
    return new S4DInit(logDtUniform(DT_MIN, DT_MAX), Initializers.constant(StrictMath.log(0.5)), aImag,
        new ComplexConstant(1, 0), Initializers.normal(0, Math.sqrt(0.5)), Initializers.normal(0, 1));
  }

  /** This initialization with another log_dt initializer. */
  public S4DInit withLogDt(Initializer logDt) {
    return new S4DInit(logDt, aReal, aImag, b, c, d);
  }

  /** log Δ ~ U[log Δ_min, log Δ_max]: Δ log-uniform in [Δ_min, Δ_max]. */
  public static Initializer logDtUniform(double dtMin, double dtMax) {
    if (!(dtMin > 0) || !(dtMax >= dtMin)) {
      throw new IllegalArgumentException("s4d: need 0 < dt_min ≤ dt_max, got " + dtMin + ", " + dtMax);
    }
    return Initializers.uniform(StrictMath.log(dtMin), StrictMath.log(dtMax));
  }

  /**
   * The imaginary parts of the N/2 stored eigenvalues of A, for a parameter (…, N/2): every row
   * gets the same N/2 values. Deterministic (no randomness); {@link #values} gives them exactly in
   * double precision, {@link #create} as F32 like every initializer.
   */
  public enum Imag implements Initializer {
    /** S4D-Lin: Im A_n = π·n. */
    LIN {
      @Override
      public double value(int n, int stateSize) {
        return Math.PI * n;
      }
    },
    /** S4D-Inv: Im A_n = (N/π)·(N/(2n+1) − 1). */
    INV {
      @Override
      public double value(int n, int stateSize) {
        return stateSize / Math.PI * (stateSize / (2.0 * n + 1) - 1);
      }
    },

    /**
     * S4D-LegS: ω_n, the positive imaginary parts of the eigenvalues of the normal part of
     * HiPPO-LegS, ascending ({@link HippoLegS#spectrum}).
     */
    LEGS {
      @Override
      public double value(int n, int stateSize) {
        return values(stateSize)[n];
      }

      @Override
      public double[] values(int stateSize) {
        checkSize(stateSize);
        return HippoLegS.spectrum(stateSize).imag();
      }
    };

    /** Im A_n for mode n of a state of size N. */
    public abstract double value(int n, int stateSize);

    /** The N/2 values Im A_0 … Im A_{N/2−1} in double precision. */
    public double[] values(int stateSize) {
      checkSize(stateSize);
      double[] v = new double[stateSize / 2];
      for (int n = 0; n < v.length; n++) {
        v[n] = value(n, stateSize);
      }
      return v;
    }

    @Override
    public Tensor create(Shape shape, Fans fans, Rng rng) {
      return rows(shape, toString(), this::values);
    }
  }

  static void checkSize(int stateSize) {
    if (stateSize < 2 || stateSize % 2 != 0) {
      throw new IllegalArgumentException("s4d: the state size N must be even and ≥ 2 (N/2 conjugate pairs), got "
          + stateSize);
    }
  }

  /** Each row of a (…, N/2) parameter = the same N/2 values; {@code row} gets N. */
  private static Tensor rows(Shape shape, String scheme, java.util.function.IntFunction<double[]> row) {
    if (shape.rank() < 1) {
      throw new IllegalArgumentException("s4d " + scheme + ": needs a shape (…, N/2), got " + shape);
    }
    double[] r = row.apply(2 * shape.dim(-1));
    double[] v = new double[shape.numel()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r[i % r.length];
    }
    return Tensors.of(DType.F32, v, shape.dims());
  }

  /** A_real = log(n+1) for S4D-Real, so Re A_n = −(n+1). Uses no randomness. */
  public record RealLogN() implements Initializer {
    @Override
    public Tensor create(Shape shape, Fans fans, Rng rng) {
      return rows(shape, "real", n -> {
        double[] v = new double[n / 2];
        for (int j = 0; j < v.length; j++) {
          v[j] = Math.log(j + 1.0);
        }
        return v;
      });
    }
  }

  /** Im A = e^z with z ~ N(0, 1) i.i.d. (S4D-Rand). */
  public record RandImag() implements Initializer {
    @Override
    public Tensor create(Shape shape, Fans fans, Rng rng) {
      double[] z = rng.normal(shape.numel());
      for (int i = 0; i < z.length; i++) {
        z[i] = StrictMath.exp(z[i]);
      }
      return Tensors.of(DType.F32, z, shape.dims());
    }
  }

  /** B̃_n = |V*·B_LegS|_n (real, ≥ 0) for a (…, N/2, 2) parameter; see {@link HippoLegS}. No randomness. */
  public record LegSInput() implements Initializer {
    @Override
    public Tensor create(Shape shape, Fans fans, Rng rng) {
      if (shape.rank() < 2 || shape.dim(-1) != 2) {
        throw new IllegalArgumentException("s4d legs B: needs a shape (…, N/2, 2) of (re, im) pairs, got " + shape);
      }
      double[] row = HippoLegS.spectrum(2 * shape.dim(-2)).b();
      double[] v = new double[shape.numel()];
      for (int i = 0; i < v.length; i += 2) {
        v[i] = row[(i / 2) % row.length];
      }
      return Tensors.of(DType.F32, v, shape.dims());
    }
  }

  /** Every complex entry of a (…, 2) parameter equal to re + i·im. Uses no randomness. */
  public record ComplexConstant(double re, double im) implements Initializer {
    @Override
    public Tensor create(Shape shape, Fans fans, Rng rng) {
      if (shape.rank() < 1 || shape.dim(-1) != 2) {
        throw new IllegalArgumentException("complex constant: needs a shape (…, 2) of (re, im) pairs, got " + shape);
      }
      double[] v = new double[shape.numel()];
      for (int i = 0; i < v.length; i += 2) {
        v[i] = re;
        v[i + 1] = im;
      }
      return Tensors.of(DType.F32, v, shape.dims());
    }
  }
}
