package org.incipit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.nn.Sequential;
import org.incipit.nn.layers.LayerNorm;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

class ParamGroupTest {
  @Test
  void splitDecayPutsRankAtMostOneInNoDecay() {
    Rng rng = Rng.seeded(1);
    Module m = new Sequential(new Linear(4, 3, rng.fork("0")), new LayerNorm(3, rng.fork("1")), new Linear(3, 2, rng.fork("2")));
    List<ParamGroup<AdamW.Hyper>> groups = ParamGroup.splitDecay(m, AdamW.Hyper.defaults().withWeightDecay(0.1));
    assertEquals(2, groups.size());
    assertEquals("decay", groups.get(0).name());
    assertEquals(List.of("0.weight", "2.weight"), List.copyOf(groups.get(0).params().keySet()));
    assertEquals(0.1, groups.get(0).hyper().weightDecay());
    assertEquals("no_decay", groups.get(1).name());
    assertEquals(List.of("0.bias", "1.weight", "1.bias", "2.bias"), List.copyOf(groups.get(1).params().keySet()));
    assertEquals(0.0, groups.get(1).hyper().weightDecay());
    assertEquals(AdamW.Hyper.defaults().lr(), groups.get(1).hyper().lr());
  }

  @Test
  void groupsUseTheirOwnLrAndDecay() {
    // SGD, g = 1 everywhere, θ₀ = 1: group a (η 0.1, λ 0): θ = 0.9; group b (η 0.01, λ 0.5): d = 1.5, θ = 0.985
    Map<String, org.incipit.autograd.Tensor> values = new LinkedHashMap<>();
    values.put("a", Tensors.of(DType.F64, new double[] {1}, 1));
    values.put("b", Tensors.of(DType.F64, new double[] {1}, 1));
    Fixed m = new Fixed(values);
    Map<String, Parameter> all = m.namedParameters();
    Sgd opt = new Sgd(List.of(
        new ParamGroup<>("a", Map.of("a", all.get("a")), Sgd.Hyper.defaults().withLr(0.1)),
        new ParamGroup<>("b", Map.of("b", all.get("b")), Sgd.Hyper.defaults().withLr(0.01).withWeightDecay(0.5))));
    opt.step(Fixed.grads(m, Map.of("a", new double[] {1}, "b", new double[] {1})));
    assertArrayEquals(new double[] {0.9}, all.get("a").value().toDoubles(), 1e-12);
    assertArrayEquals(new double[] {0.985}, all.get("b").value().toDoubles(), 1e-12);
    // the lr factor multiplies every group's lr: ×0.5 → a: 0.9 − 0.05; b: d = 1 + 0.5·0.985, θ −= 0.005·d
    opt.setLrFactor(0.5);
    opt.step(Fixed.grads(m, Map.of("a", new double[] {1}, "b", new double[] {1})));
    assertArrayEquals(new double[] {0.85}, all.get("a").value().toDoubles(), 1e-12);
    assertArrayEquals(new double[] {0.985 - 0.005 * (1 + 0.5 * 0.985)}, all.get("b").value().toDoubles(), 1e-12);
  }

  @Test
  void aParameterMayBelongToOneGroupOnly() {
    Fixed m = Fixed.f64(1);
    Parameter p = Fixed.p(m, "p");
    var h = Sgd.Hyper.defaults();
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(
        new ParamGroup<>("x", Map.of("p", p), h), new ParamGroup<>("y", Map.of("p", p), h))));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(
        new ParamGroup<>("x", Map.of("p", p), h), new ParamGroup<>("y", Map.of("q", p), h))));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of()));
  }

  @Test
  void parametersWithoutGradientsAreSkippedAndStaleGradientsRejected() {
    Map<String, org.incipit.autograd.Tensor> values = new LinkedHashMap<>();
    values.put("a", Tensors.of(DType.F64, new double[] {1}, 1));
    values.put("b", Tensors.of(DType.F64, new double[] {1}, 1));
    Fixed m = new Fixed(values);
    AdamW opt = AdamW.of(m, AdamW.Hyper.defaults());
    var g = Fixed.grads(m, Map.of("a", new double[] {1}));
    opt.step(g);
    assertArrayEquals(new double[] {1}, Fixed.p(m, "b").value().toDoubles());
    assertEquals(List.of("a.exp_avg", "a.exp_avg_sq", "a.step", "steps"), List.copyOf(opt.stateDict().keySet()));
    // the same gradients again: "a" has a new value now, so nothing matches
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.step(g));
    assertEquals(true, e.getMessage().contains("before the last step"), e.getMessage());
    opt.step(org.incipit.autograd.Gradients.empty()); // nothing to do is fine
    assertEquals(2, opt.steps());
  }
}
