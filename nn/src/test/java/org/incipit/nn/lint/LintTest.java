package org.incipit.nn.lint;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.FanMode;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.Module;
import org.incipit.nn.ModuleList;
import org.incipit.nn.Sequential;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.Conv2d;
import org.incipit.nn.layers.Embedding;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.layers.TransformerBlock;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Every lint rule fires on the mistake it names, with the path and a fix, and stays quiet on the right init. */
class LintTest {
  private static final Rng RNG = Rng.seeded(16);

  private static List<Finding> findings(Module m, String rule) {
    return Lint.check(m).stream().filter(f -> f.rule().equals(rule)).toList();
  }

  private static Finding only(Module m, String rule) {
    List<Finding> f = findings(m, rule);
    assertEquals(1, f.size(), () -> "expected one '" + rule + "' finding, got " + Lint.check(m));
    assertFalse(f.get(0).fix().isBlank());
    return f.get(0);
  }

  /** A container with one named child, for paths that match what a user's model would have. */
  static final class Holder extends Module {
    Holder(String name, Module child) {
      child(name, child);
    }
  }

  @Test
  void groupedConvFansFireOnlyForFanOutSchemesWithoutGroupedFans() {
    Conv2d depthwise = new Conv2d(8, 8, 3, 1, 1, 8, false, Initializers.xavierNormal(1), null, RNG);
    Finding f = only(new Holder("dw", depthwise), Rules.GROUPED_FANS);
    assertEquals("dw.weight", f.path());
    assertTrue(f.problem().contains("8 groups") && f.fix().contains("Fans.ofGrouped"), f.toString());
    assertTrue(findings(new Conv2d(8, 8, 3, 1, 1, 8, false, Initializers.heNormal(), null, RNG), Rules.GROUPED_FANS)
        .isEmpty(), "fan_in schemes are right for grouped convs");
    assertTrue(findings(new Conv2d(8, 8, 3, 1, 1, 1, false, Initializers.xavierNormal(1), null, RNG),
        Rules.GROUPED_FANS).isEmpty(), "a dense conv");
  }

  @Test
  void packedQkvDrawnWholeFiresAndPerSliceDoesNot() {
    Linear whole = new Linear(16, 48, false, Initializers.xavierUniform(1), null, RNG);
    Finding f = only(new Holder("attn", new Holder("qkv", whole)), Rules.GROUPED_FANS);
    assertEquals("attn.qkv.weight", f.path());
    assertTrue(f.fix().contains("perSlice(3"), f.fix());
    Linear sliced = new Linear(16, 48, false, Initializers.perSlice(3, Initializers.xavierUniform(1)), null, RNG);
    assertTrue(findings(new Holder("attn", new Holder("qkv", sliced)), Rules.GROUPED_FANS).isEmpty());
    assertTrue(findings(new Holder("attn", new Holder("wq", whole)), Rules.GROUPED_FANS).isEmpty(), "not a packed name");
  }

  @Test
  void truncatedNormalBoundsBeyondThreeStdOrWithinOneStdFire() {
    Linear timm = new Linear(8, 8, false, Initializers.truncatedNormal(0, 0.02, -2, 2), null, RNG);
    assertTrue(only(timm, Rules.TRUNCATION).problem().contains("nothing is truncated"));
    Linear heavy = new Linear(8, 8, false, Initializers.truncatedNormal(0, 1, -0.5, 0.5), null, RNG);
    assertTrue(only(heavy, Rules.TRUNCATION).problem().contains("heavy truncation"));
    Linear right = new Linear(8, 8, false, Initializers.truncatedNormal(0, 0.02, -0.04, 0.04), null, RNG);
    assertTrue(findings(right, Rules.TRUNCATION).isEmpty());
  }

  private static Module stack(int depth, boolean scaled) {
    List<TransformerBlock> blocks = new ArrayList<>();
    Rng r = RNG.fork("blocks");
    for (int i = 0; i < depth; i++) {
      blocks.add(new TransformerBlock(8, 2, r.fork(String.valueOf(i))));
    }
    Module m = new Holder("blocks", new ModuleList<>(blocks));
    if (scaled) {
      m.reinitialize(RNG, (path, p) -> path.endsWith("wo.weight") || path.endsWith("proj.weight")
          ? Initializers.normal(0, 0.02 / Math.sqrt(2.0 * depth)) : null);
    }
    return m;
  }

  @Test
  void aDeepUnscaledResidualStackFiresAndScalingOrShallownessSilencesIt() {
    Finding f = only(stack(12, false), Rules.RESIDUAL);
    assertEquals("blocks", f.path());
    assertTrue(f.problem().startsWith("12 residual blocks") && f.problem().contains("blocks.0.attn.wo.weight is drawn"
        + " like blocks.0.attn.wq.weight"), f.problem());
    assertTrue(findings(stack(12, true), Rules.RESIDUAL).isEmpty(), "GPT-2 scaled");
    assertTrue(findings(stack(11, false), Rules.RESIDUAL).isEmpty(), "below the depth where it matters");
  }

  @Test
  void aValueItsInitializerDidNotDrawFires() {
    Linear fc = new Linear(6, 4, RNG);
    assertTrue(findings(fc, Rules.PROVENANCE).isEmpty(), "as built");
    Tensor custom = Tensors.of(DType.F32, Rng.seeded(3).normal(24), 4, 6);
    fc.weight().assign(custom);
    Finding f = only(fc, Rules.PROVENANCE);
    assertEquals("weight", f.path());
    fc.weight().reinitialize(Initializers.given("my-svd-init", custom), RNG);
    assertTrue(findings(fc, Rules.PROVENANCE).isEmpty(), "recorded as given values");
    Linear pruned = new Linear(6, 4, RNG);
    double[] m = new double[24];
    for (int i = 0; i < m.length; i += 3) {
      m[i] = 1;
    }
    pruned.weight().setMask(Tensors.of(DType.F32, m, 4, 6));
    assertTrue(findings(pruned, Rules.PROVENANCE).isEmpty(), "a pruning mask is part of the recorded draw");
  }

  @Test
  void orthogonalOnAConvKernelNeedsAStatedReshape() {
    Conv2d conv = new Conv2d(4, 8, 3, 1, 1, 1, false, Initializers.orthogonal(1), null, RNG);
    assertTrue(only(conv, Rules.ORTHOGONAL).fix().contains("flattened()"));
    assertTrue(findings(new Conv2d(4, 8, 3, 1, 1, 1, false, Initializers.orthogonal(1).flattened(), null, RNG),
        Rules.ORTHOGONAL).isEmpty());
    assertTrue(findings(new Linear(8, 8, false, Initializers.orthogonal(1), null, RNG), Rules.ORTHOGONAL).isEmpty());
  }

  @Test
  void newEmbeddingRowsFarFromTheOthersFire() {
    Embedding e = new Embedding(40, 64, RNG);
    assertTrue(findings(e, Rules.EMBEDDING).isEmpty(), "N(0, 1) rows");
    double[] v = e.weight().value().toDoubles();
    for (int j = 0; j < 64; j++) {
      v[38 * 64 + j] = 0; // two new tokens left at zero: norm 0 against ≈ 8 ± 0.7
      v[39 * 64 + j] = 0;
    }
    e.weight().reinitialize(Initializers.given("vocab + 2 zero rows", Tensors.of(DType.F32, v, 40, 64)), RNG);
    Finding f = only(e, Rules.EMBEDDING);
    assertTrue(f.problem().startsWith("2 of 40 rows") && f.problem().endsWith("rows [38, 39]"), f.problem());
  }

  private static Sequential net(Activation act, Initializer init) {
    Rng r = RNG.fork("net");
    return new Sequential(new Linear(16, 16, true, init, Initializers.zeros(), r.fork("0")), act,
        new Linear(16, 16, true, init, Initializers.zeros(), r.fork("2")));
  }

  @Test
  void reluUnderTanhGainAndTanhUnderReluGainFire() {
    Initializer tanhGain = Initializers.kaimingNormal(0, FanMode.IN, "tanh");
    Finding f = findings(net(Activation.relu(), tanhGain), Rules.GAIN).get(0);
    assertTrue(f.problem().startsWith("a relu network drawn with tanh's gain"), f.problem());
    assertEquals(2, findings(net(Activation.relu(), tanhGain), Rules.GAIN).size(), "both weights");
    assertFalse(findings(net(Activation.tanh(), Initializers.heNormal()), Rules.GAIN).isEmpty());
    assertTrue(findings(net(Activation.relu(), Initializers.heNormal()), Rules.GAIN).isEmpty());
    assertTrue(findings(net(Activation.tanh(), tanhGain), Rules.GAIN).isEmpty());
  }

  @Test
  void aSoundModelHasNoFindings() {
    Layer clean = net(Activation.relu(), Initializers.heNormal());
    assertEquals(List.of(), Lint.check(clean));
    assertEquals(List.of(), Lint.check(stack(2, false)));
  }

  @Test
  void parametersOfAnyShapeAreChecked() {
    Holder h = new Holder("e", new Embedding(4, 3, RNG)); // too few rows for the outlier rule
    assertEquals(List.of(), Lint.check(h));
    assertEquals(Shape.of(4, 3), h.namedParameters().get("e.weight").shape());
  }
}
