package org.incipit.nn;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Fans;
import org.incipit.init.Initializers;
import org.incipit.init.S4DInit;
import org.incipit.nn.adapters.LoRALinear;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.ssm.S4D;
import org.incipit.nn.ssm.S4DKernel;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Path-keyed streams, resets that re-apply each parameter's own scheme, and the init report. */
class InitProvenanceTest {
  /** A model whose children are given by name, in order. */
  static final class Net extends Module {
    Net(Rng rng, String... names) {
      for (String n : names) {
        child(n, new Linear(8, 8, rng.fork(n)));
      }
    }
  }

  @Test
  void addingRemovingOrReorderingModulesLeavesEveryOtherParameterUnchanged() {
    Rng rng = Rng.seeded(5);
    Net base = new Net(rng, "a", "b", "c");
    Net changed = new Net(rng, "c", "extra", "a"); // reordered, "b" removed, "extra" added
    for (String path : new String[] {"a.weight", "a.bias", "c.weight", "c.bias"}) {
      assertArrayEquals(base.namedParameters().get(path).value().toFloats(),
          changed.namedParameters().get(path).value().toFloats(), path);
    }
  }

  @Test
  void resetRestoresSpecialInitsInsteadOfAGenericScheme() {
    Rng rng = Rng.seeded(9);
    LoRALinear lora = new LoRALinear(new Linear(6, 5, rng.fork("base")), 2, 4, rng.fork("lora"));
    S4D s4d = new S4D(4, 8, S4DInit.lin(), S4DKernel.Discretization.ZOH, 0, rng.fork("s4d"));
    Linear zeroBranch = new Linear(6, 6, true, Initializers.zeros(), Initializers.zeros(), rng.fork("proj"));
    for (Module m : new Module[] {lora, s4d, zeroBranch}) {
      var before = m.stateDict();
      m.namedParameters().values().forEach(p -> p.assign(p.value().mul(0.5).add(1))); // "training"
      m.reset();
      m.namedParameters().forEach((path, p) ->
          assertArrayEquals(before.get(path).toFloats(), p.value().toFloats(), m.getClass().getSimpleName() + " " + path));
    }
    assertEquals(0, maxAbs(lora.namedParameters().get("lora_B").value()), "LoRA B = 0 again");
    double[] logDt = s4d.namedParameters().get("kernel.log_dt").value().toDoubles();
    for (double v : logDt) { // S4D's Δ stays log-uniform in [log 1e-3, log 1e-1]
      assertTrue(v >= Math.log(S4DInit.DT_MIN) - 1e-6 && v <= Math.log(S4DInit.DT_MAX) + 1e-6, "log Δ " + v);
    }
    assertEquals(0, maxAbs(zeroBranch.weight().value()), "a zero residual branch stays zero");
  }

  @Test
  void resetFromTheRootStreamGivesTheConstructionValues() {
    Rng rng = Rng.seeded(21);
    Net net = new Net(rng, "a", "b");
    var before = net.stateDict();
    net.namedParameters().values().forEach(p -> p.assign(p.value().mul(0)));
    net.reset(rng);
    net.namedParameters().forEach((path, p) -> assertArrayEquals(before.get(path).toFloats(), p.value().toFloats()));
  }

  @Test
  void initReportStatesSchemeFansPromiseMeasurementAndStream() {
    Rng rng = Rng.seeded(3);
    Linear fc = new Linear(400, 300, true, Initializers.heNormal(), Initializers.zeros(), rng);
    InitReport.Entry w = fc.initReport().get("weight");
    assertTrue(w.scheme().startsWith("VarianceScaling[scale=2.0") && w.scheme().endsWith("mode=IN, distribution=NORMAL]"),
        w.scheme()); // scale = gain² = (√2)², one ulp above 2
    assertEquals(400, w.fanIn());
    assertEquals(300, w.fanOut());
    assertEquals(Math.sqrt(2), w.gain(), 1e-15);
    assertEquals(Math.sqrt(2.0 / 400), w.expectedStd(), 1e-15);
    // 120,000 normal values: the sample std's relative standard error is 1/√(2n) = 0.2%; 1% is 5 of them
    assertEquals(w.expectedStd(), w.measuredStd(), 0.01 * w.expectedStd());
    assertEquals(rng.seed(), w.seed());
    assertEquals(rng.fork("weight").stream(), w.stream());
    assertArrayEquals(fc.weight().value().toFloats(),
        Initializers.heNormal().create(Shape.of(300, 400), Fans.of(Shape.of(300, 400)), Rng.of(w.seed(), w.stream()))
            .toFloats(), "the stream in the report draws the parameter again");
    InitReport.Entry b = fc.initReport().get("bias");
    assertEquals(0, b.expectedStd());
    assertEquals(0, b.measuredStd());
    assertTrue(fc.initReport().format().lines().count() == 3 && fc.initReport().format().contains("weight"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fc.initReport().get("nope"));
    assertTrue(e.getMessage().contains("'nope'"));
  }

  @Test
  void scaledAndTruncatedSchemesStateTheirRealisedStd() {
    Shape s = Shape.of(64, 32);
    assertEquals(0.02 / Math.sqrt(12), Initializers.normal(0, 0.02).scaled(1 / Math.sqrt(12)).expected(s, Fans.of(s)).std(),
        1e-15);
    assertEquals(0.87962566103423978, Initializers.truncatedNormal(0, 1, -2, 2).expected(s, Fans.of(s)).std(), 1e-12);
    assertEquals(1 / Math.sqrt(64), Initializers.orthogonal(1).expected(s, Fans.of(s)).std(), 1e-15);
  }

  @Test
  void perSliceDrawsEachSliceWithItsOwnFans() {
    Shape packed = Shape.of(3 * 128, 128);
    Tensor w = Initializers.perSlice(3, Initializers.xavierNormal(1)).create(packed, Fans.of(packed), Rng.seeded(4));
    double[] v = w.toDoubles();
    for (int slice = 0; slice < 3; slice++) {
      double ss = 0;
      int n = 128 * 128;
      for (int i = slice * n; i < (slice + 1) * n; i++) {
        ss += v[i] * v[i];
      }
      // Xavier of a (128, 128) slice: Var = 1/128; drawn whole it would be 2/(128 + 384) = 1/256.
      // 16,384 normals: relative standard error of the variance √(2/n) = 1.1%; 6% is over 5 of them
      assertEquals(1.0 / 128, ss / n, 0.06 / 128, "slice " + slice);
    }
    assertEquals(Math.sqrt(1.0 / 128), Initializers.perSlice(3, Initializers.xavierNormal(1)).expected(packed,
        Fans.of(packed)).std(), 1e-15);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        Initializers.perSlice(5, Initializers.xavierNormal(1)).create(packed, Fans.of(packed), Rng.seeded(1)));
    assertTrue(e.getMessage().contains("5 parts do not divide dim 0"));
  }

  @Test
  void givenValuesKeepTheirSchemeNameAndCheckTheShape() {
    Tensor values = Tensors.of(DType.F32, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    var given = Initializers.given("pissa r=2", values);
    assertEquals("pissa r=2", given.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> given.create(Shape.of(3, 2), Fans.of(Shape.of(3, 2)), Rng.seeded(1)));
    assertTrue(e.getMessage().contains("pissa r=2") && e.getMessage().contains("[2, 3]"), e.getMessage());
  }

  private static double maxAbs(Tensor t) {
    double m = 0;
    for (double v : t.toDoubles()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
