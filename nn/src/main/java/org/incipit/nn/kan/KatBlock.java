package org.incipit.nn.kan;

import org.incipit.autograd.Tensor;
import org.incipit.init.Distribution;
import org.incipit.init.FanMode;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.layers.Dropout;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.Rng;

/**
 * The KAN block of the Kolmogorov–Arnold Transformer, KAT's replacement for a transformer's MLP
 * (Yang &amp; Wang 2024, arXiv:2409.10594; {@code KAN} in Adamdad/kat {@code katransformer.py}):
 * <pre>
 * x → GR-KAN(identity) → dropout → fc1 → GR-KAN(preset, swish by default) → dropout → fc2
 * </pre>
 * The rational comes <em>before</em> fc1, so fc1 sees its input unchanged at init.
 *
 * <p>Initialisation ({@link Init}). KAT's variance-preserving scheme: biases 0 and
 * <pre>
 * fc1.weight ~ N(0, 1/fan_in)           (kaiming_normal, 'linear': it follows the identity rational)
 * fc2.weight ~ N(0, gain²/fan_in),      gain² = 1 / E_{x~N(0,1)}[F(x)²]  of the second rational F
 * </pre>
 * so for x ~ N(0, 1) every stage keeps E[h²] = 1. The gain is that of our fitted preset
 * ({@link RationalPreset#gain}); the official fits give 2.3567850 (GELU) and 2.8178205 (swish) for
 * gain², ours about 0.25 % lower (closer to the exact activations' 2.3517156 and 2.8107611;
 * {@code RationalFitTest}).
 * {@link Init#OFFICIAL} reproduces the released code instead: in its init function the kaiming
 * init of mlp.fc1/fc2 is overwritten by the trailing {@code trunc_normal_(std=.02)}, so released
 * models use std 0.02 (truncated at the absolute bounds ±2, i.e. untruncated).
 *
 * <p>Held by {@code KatBlockTest} (nn: one block keeps the variance of N(0, 1) inputs within 3 %),
 * {@code KatPropertiesTest} (tests: the fc1/fc2 distributions by χ² and Kolmogorov–Smirnov, Q ≥ 1)
 * and the study {@code kat-variance}, which measures the spec's stronger claim — variance within
 * 10 % through 12 blocks — and finds it does not hold at widths 32–128: the length map
 * q ↦ gain²·E[F(√q·z)²] has slope ≈ 1.17 at its fixed point, so depth amplifies finite-width
 * deviations.
 *
 * <pre>{@code
 * KatBlock mlp = new KatBlock(64, 256, 64, KatBlock.Options.defaults(), rng);   // 8 groups, swish, form A
 * Tensor y = mlp.forward(x);    // (B, T, 64) → (B, T, 64)
 * }</pre>
 */
public final class KatBlock extends Layer {
  /** How fc1 and fc2 are initialised. */
  public enum Init {
    /** fc1 std 1/√fan_in, fc2 std gain/√fan_in (the paper's intent). */
    VARIANCE_PRESERVING,
    /** trunc_normal std 0.02 for both (what the official code actually does). */
    OFFICIAL
  }

  /**
   * Block options.
   *
   * @param groups channel groups of both rationals (must divide the widths)
   * @param activation the second rational's preset (the first is always IDENTITY)
   * @param form the denominator form of both rationals
   * @param dropout dropout probability after each rational
   * @param init fc1/fc2 initialisation
   */
  public record Options(int groups, RationalPreset activation, Denominator form, double dropout, Init init) {
    /** 8 groups, swish, form A, no dropout, variance-preserving. */
    public static Options defaults() {
      return new Options(GroupRational.DEFAULT_GROUPS, RationalPreset.SWISH, Denominator.ABS_OF_SUM, 0.0,
          Init.VARIANCE_PRESERVING);
    }

    public Options withGroups(int g) {
      return new Options(g, activation, form, dropout, init);
    }

    public Options withActivation(RationalPreset p) {
      return new Options(groups, p, form, dropout, init);
    }

    public Options withForm(Denominator f) {
      return new Options(groups, activation, f, dropout, init);
    }

    public Options withDropout(double p) {
      return new Options(groups, activation, form, p, init);
    }

    public Options withInit(Init i) {
      return new Options(groups, activation, form, dropout, i);
    }
  }

  private final GroupRational act1;
  private final Dropout drop1;
  private final Linear fc1;
  private final GroupRational act2;
  private final Dropout drop2;
  private final Linear fc2;

  public KatBlock(int in, int hidden, int out, Options o, Rng rng) {
    this.act1 = child("act1", new GroupRational(in, o.groups(), RationalPreset.IDENTITY, o.form(), rng.fork("act1")));
    this.drop1 = child("drop1", new Dropout(o.dropout(), rng.fork("drop1")));
    Initializer w1;
    Initializer w2;
    if (o.init() == Init.OFFICIAL) {
      w1 = Initializers.truncatedNormal(0, 0.02, -2, 2);
      w2 = w1;
    } else {
      double gain = o.activation().gain(o.form());
      w1 = Initializers.kaimingNormal(0, FanMode.IN, "linear");
      w2 = Initializers.varianceScaling(gain * gain, FanMode.IN, Distribution.NORMAL);
    }
    this.fc1 = child("fc1", new Linear(in, hidden, true, w1, Initializers.zeros(), rng.fork("fc1")));
    this.act2 = child("act2", new GroupRational(hidden, o.groups(), o.activation(), o.form(), rng.fork("act2")));
    this.drop2 = child("drop2", new Dropout(o.dropout(), rng.fork("drop2")));
    this.fc2 = child("fc2", new Linear(hidden, out, true, w2, Initializers.zeros(), rng.fork("fc2")));
  }

  @Override
  protected Tensor compute(Tensor x) {
    Tensor h = fc1.forward(drop1.forward(act1.forward(x))); // (…, hidden)
    return fc2.forward(drop2.forward(act2.forward(h)));      // (…, out)
  }

  public GroupRational act1() {
    return act1;
  }

  public Linear fc1() {
    return fc1;
  }

  public GroupRational act2() {
    return act2;
  }

  public Linear fc2() {
    return fc2;
  }
}
