package org.incipit.nn.kan;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Fans;
import org.incipit.init.Initializer;
import org.incipit.nn.Layer;
import org.incipit.nn.Parameter;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * Group-rational KAN activation (GR-KAN) of the Kolmogorov–Arnold Transformer (Yang &amp; Wang
 * 2024, "Kolmogorov–Arnold Transformer", arXiv:2409.10594): a learnable rational function applied
 * elementwise, with its coefficients shared within groups of channels.
 * <pre>
 * x (…, D) → groups of D/g contiguous channels, c ∈ group(c) = ⌊c / (D/g)⌋
 * y_c = F_{group(c)}(x_c),   F_k(x) = P(x) / Q_k(x),   P(x) = Σ_{i=0}^{5} a_i xⁱ   (one numerator, shared)
 *                                                     Q_k from {@link Denominator} with b_{k,1…4}  (one per group)
 * </pre>
 * As the official {@code KAT_Group}: the numerator is shared by all groups and the denominator is
 * per group; parameters are {@code weight_numerator} (1, 6) and {@code weight_denominator} (g, 4),
 * the names and shapes of the official module, both initialised from a {@link RationalPreset}
 * (every group alike). With g = 1 it is a plain rational activation (Molina et al. 2020, "Padé
 * Activation Units", arXiv:1907.06732, with KAT's denominators). Q ≥ 1, so F has no poles.
 *
 * <p>Written in Tensor ops (Horner's rule, |·|, one division), so every gradient is the engine's;
 * at |·| kinks (x = 0 in form B, Σ b_j x^j = 0 in form A, b_j = 0 in form B) the convention is
 * |·|′(0) = 0. A consequence worth knowing: with the IDENTITY preset (b = 0) the denominator's
 * gradient is exactly zero, so it never leaves 0 (see {@link Denominator}).
 *
 * <pre>{@code
 * GroupRational act = new GroupRational(64, 8, RationalPreset.SWISH, Denominator.ABS_OF_SUM, rng);
 * Tensor y = act.forward(x);    // (B, T, 64) → (B, T, 64), ≈ x·σ(x) at init
 * }</pre>
 */
public final class GroupRational extends Layer {
  /** KAT's default number of groups. */
  public static final int DEFAULT_GROUPS = 8;

  private final Parameter numerator;
  private final Parameter denominator;
  private final int channels;
  private final int groups;
  private final RationalPreset preset;
  private final Denominator form;

  /**
   * A GR-KAN over {@code channels} channels split into {@code groups} groups (which must divide
   * it), starting as {@code preset} in denominator form {@code form}. Nothing is random; {@code rng}
   * is taken for uniformity with other layers.
   */
  public GroupRational(int channels, int groups, RationalPreset preset, Denominator form, Rng rng) {
    if (channels < 1 || groups < 1 || channels % groups != 0) {
      throw new IllegalArgumentException("group rational: " + groups + " groups do not divide " + channels + " channels");
    }
    this.channels = channels;
    this.groups = groups;
    this.preset = preset;
    this.form = form;
    Rational r = preset.rational(form);
    this.numerator = param("weight_numerator", Shape.of(1, Rational.NUMERATOR_TERMS), new Rows(r.numerator()), rng);
    this.denominator = param("weight_denominator", Shape.of(groups, Denominator.TERMS), new Rows(r.denominator()), rng);
  }

  /** KAT's defaults: 8 groups, form A (the paper's denominator). */
  public GroupRational(int channels, RationalPreset preset, Rng rng) {
    this(channels, DEFAULT_GROUPS, preset, Denominator.ABS_OF_SUM, rng);
  }

  @Override
  protected Tensor compute(Tensor x) {
    if (x.rank() < 1 || x.size(-1) != channels) {
      throw new IllegalArgumentException("group rational: expected (…, " + channels + ") input, got " + x.shape());
    }
    return apply(x, numerator.value(), denominator.value(), form);
  }

  /**
   * The group-rational function of {@code x} (…, D): numerator {@code a} (1, 6), denominator
   * {@code b} (g, 4) with g dividing D; contiguous channel groups.
   */
  public static Tensor apply(Tensor x, Tensor a, Tensor b, Denominator form) {
    int d = x.size(-1);
    int g = b.size(0);
    if (a.numel() != Rational.NUMERATOR_TERMS || b.rank() != 2 || b.size(1) != Denominator.TERMS || d % g != 0) {
      throw new IllegalArgumentException("group rational: needs a numerator of 6, a denominator (g, 4) with g dividing "
          + d + " channels; got " + a.shape() + " and " + b.shape());
    }
    int[] dims = x.shape().dims();
    int[] grouped = java.util.Arrays.copyOf(dims, dims.length + 1);
    grouped[dims.length - 1] = g;
    grouped[dims.length] = d / g;
    Tensor xg = x.reshape(grouped);                                              // (…, g, D/g)
    Tensor row = a.reshape(1, Rational.NUMERATOR_TERMS);                         // (1, 6)
    Tensor p = xg.mul(row.slice(1, 5, 6)).add(row.slice(1, 4, 5));                // Horner: a₅x + a₄
    for (int i = 3; i >= 0; i--) {
      p = p.mul(xg).add(row.slice(1, i, i + 1));                                 // … ·x + a_i
    }
    Tensor q = form.value(xg, b); // (…, g, D/g), ≥ 1
    return p.div(q).reshape(dims); // (…, D)
  }

  /** The rational of group {@code k} with the current coefficients, in double precision. */
  public Rational rational(int k) {
    double[] a = numerator.value().toDoubles();
    double[] all = denominator.value().toDoubles();
    double[] b = new double[Denominator.TERMS];
    System.arraycopy(all, k * Denominator.TERMS, b, 0, Denominator.TERMS);
    return new Rational(a, b, form);
  }

  public Parameter numerator() {
    return numerator;
  }

  public Parameter denominator() {
    return denominator;
  }

  public int groups() {
    return groups;
  }

  public Denominator form() {
    return form;
  }

  public RationalPreset preset() {
    return preset;
  }

  /** Every row of the tensor equals {@code row}: a preset's coefficients, copied to each group. */
  public record Rows(double[] row) implements Initializer {
    public Rows {
      row = row.clone();
    }

    @Override
    public Tensor create(Shape shape, Fans fans, Rng rng) {
      if (shape.dim(-1) != row.length) {
        throw new IllegalArgumentException("rows of " + row.length + " values cannot fill shape " + shape);
      }
      double[] v = new double[shape.numel()];
      for (int i = 0; i < v.length; i++) {
        v[i] = row[i % row.length];
      }
      return Tensors.of(DType.F32, v, shape.dims());
    }

    @Override
    public double[] row() {
      return row.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Rows r && java.util.Arrays.equals(r.row, row);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(row);
    }

    @Override
    public String toString() {
      return "Rows" + java.util.Arrays.toString(row);
    }
  }
}
