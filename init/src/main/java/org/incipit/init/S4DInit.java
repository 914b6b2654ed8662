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
 * B       (H, N/2, 2)  B                            1 + 0i                         {@link ComplexConstant}
 * C       (H, N/2, 2)  C                            Re, Im ~ N(0, ½), so E|C|² = 1
 * D       (H)          skip connection              N(0, 1)
 * </pre>
 * n = 0 … N/2 − 1. Lin and Inv are the paper's two simple schemes (Inv approximates the
 * eigenvalues of HiPPO-LegS; Lin spaces the frequencies like a Fourier basis).
 *
 * <p>Held to these values by {@code S4DInitTest} (init);
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
    };

    /** Im A_n for mode n of a state of size N. */
    public abstract double value(int n, int stateSize);

    /** The N/2 values Im A_0 … Im A_{N/2−1} in double precision. */
    public double[] values(int stateSize) {
      if (stateSize < 2 || stateSize % 2 != 0) {
        throw new IllegalArgumentException("s4d: the state size N must be even and ≥ 2 (N/2 conjugate pairs), got "
            + stateSize);
      }
      double[] v = new double[stateSize / 2];
      for (int n = 0; n < v.length; n++) {
        v[n] = value(n, stateSize);
      }
      return v;
    }

    @Override
    public Tensor create(Shape shape, Fans fans, Rng rng) {
      if (shape.rank() < 1) {
        throw new IllegalArgumentException("s4d " + this + ": needs a shape (…, N/2), got " + shape);
      }
      double[] row = values(2 * shape.dim(-1));
      double[] v = new double[shape.numel()];
      for (int i = 0; i < v.length; i++) {
        v[i] = row[i % row.length];
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
