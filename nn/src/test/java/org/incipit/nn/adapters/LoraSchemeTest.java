package org.incipit.nn.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Sequential;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link LoraScheme} applied through {@link LoraModel} to a 3-layer MLP in float64: every residual
 * scheme and every B·A = 0 scheme leaves the model's outputs unchanged at init (1e−12: double
 * rounding of W0 − sBA + sBA), the schemes that change outputs (LoRA-SB) change them by exactly
 * x·(s·BRA)ᵀ, MiCA's B is frozen, LoRA-XS/SB train r² numbers per layer and one SGD step on R moves
 * the effective weight by −η s² BBᵀ g AᵀA (g = the full gradient of W), and mismatched adapters or
 * missing data are errors naming the layer.
 */
class LoraSchemeTest {
  private static final double TOL = 1e-12;

  private static Sequential mlp(Rng rng) {
    Sequential net = new Sequential(new Linear(6, 8, rng.fork("0")), Activation.relu(), new Linear(8, 5, rng.fork("2")),
        Activation.relu(), new Linear(5, 4, rng.fork("4")));
    net.to(DType.F64, Device.cpu());
    return net;
  }

  private static Tensor input(Rng rng) {
    return Tensors.randn(rng, 7, 6).cast(DType.F64);
  }

  private static double maxDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void everyPeftSchemeLeavesOutputsUnchangedAtInit() {
    Rng rng = Rng.seeded(1);
    Tensor x = input(rng.fork("x"));
    Tensor y = x.square().sum(1).reshape(7, 1).expand(7, 4);
    for (String name : List.of("default", "gaussian", "pissa", "olora", "orthogonal", "mica", "lora_ga", "corda_ipm", "corda_kpm")) {
      Sequential net = mlp(rng.fork("net"));
      double[] before = net.forward(x).toDoubles();
      LoraModel lora = LoraModel.lora(net, p -> true, 2, 4, rng.fork("lora"));
      Supplier<Tensor> loss = () -> net.forward(x).sub(y).square().mean();
      LoraScheme scheme = switch (name) {
        case "default" -> LoraScheme.kaimingDefault();
        case "gaussian" -> LoraScheme.gaussian();
        case "pissa" -> LoraScheme.pissa();
        case "olora" -> LoraScheme.olora();
        case "orthogonal" -> LoraScheme.orthogonal();
        case "mica" -> LoraScheme.mica();
        case "lora_ga" -> LoraScheme.loraGa(lora.baseGradients(List.of(loss, loss)));
        case "corda_ipm" -> LoraScheme.corda(LoraScheme.covariances(lora.inputs(() -> net.forward(x))), false);
        default -> LoraScheme.corda(LoraScheme.covariances(lora.inputs(() -> net.forward(x))), true);
      };
      scheme.apply(lora, rng.fork("init"));
      double[] after = lora.call(() -> net.forward(x)).toDoubles();
      assertTrue(maxDiff(before, after) <= TOL, name + ": outputs moved by " + maxDiff(before, after));
      boolean residual = List.of("pissa", "olora", "lora_ga", "corda_ipm", "corda_kpm").contains(name);
      LowRankAdapter first = lora.adapters().get("0");
      double delta = maxDiff(first.delta().toDoubles(), new double[first.delta().numel()]);
      assertEquals(residual, delta > 1e-6, name + ": s·BA is " + (residual ? "non-zero" : "zero") + " (max " + delta + ")");
    }
  }

  @Test
  void micaFreezesBAndTrainsA() {
    Sequential net = mlp(Rng.seeded(2));
    LoraModel lora = LoraModel.lora(net, p -> p.equals("2"), 2, 2, Rng.seeded(3));
    LoraScheme.mica().apply(lora, Rng.seeded(4));
    LoRALinear l = (LoRALinear) lora.adapters().get("2");
    assertFalse(l.loraB().trainable());
    assertTrue(l.loraA().trainable());
    assertEquals(2 * 8, lora.trainableParameterCount(), "only A (r × in) trains");
  }

  @Test
  void loraSbStartsAtTheTruncatedStepAndOneStepOnRIsTheProjectedFullStep() {
    Rng rng = Rng.seeded(5);
    Sequential net = mlp(rng.fork("net"));
    Tensor x = input(rng.fork("x"));
    Tensor y = Tensors.randn(rng.fork("y"), 7, 4).cast(DType.F64);
    Supplier<Tensor> loss = () -> net.forward(x).sub(y).square().mean();
    LoraModel lora = LoraModel.loraXs(net, p -> p.equals("2"), 3, 6, rng.fork("xs")); // s = 2
    assertEquals(9, lora.trainableParameterCount(), "r² trainable numbers");
    Map<String, Tensor> g0 = lora.baseGradients(List.of(loss));
    LoraScheme.loraSb(g0, 0.01).apply(lora, rng.fork("init"));
    LoRAXSLinear xs = (LoRAXSLinear) lora.adapters().get("2");
    Tensor w0 = xs.base().weight().value();
    // the gradient of R through the bound weight, and the full gradient of W at the same point
    Gradients gr = lora.call(loss).backward();
    Tensor g = fullGradientAt(net, "2", xs.effectiveWeight().detach(), loss);
    double s = xs.scale();
    Tensor b = xs.loraB().value();
    Tensor a = xs.loraA().value();
    Tensor expectedGradR = b.transpose(0, 1).matmul(g).matmul(a.transpose(0, 1)).mul(s); // s·Bᵀ g Aᵀ
    assertTrue(maxDiff(gr.of(xs.loraR().value()).toDoubles(), expectedGradR.toDoubles()) <= TOL, "g_R = s·Bᵀ g Aᵀ");
    double eta = 0.1;
    Tensor before = xs.effectiveWeight().detach();
    xs.loraR().assign(xs.loraR().value().detach().sub(gr.of(xs.loraR().value()).mul(eta)));
    Tensor moved = xs.effectiveWeight().detach().sub(before);
    Tensor projected = b.matmul(b.transpose(0, 1)).matmul(g).matmul(a.transpose(0, 1)).matmul(a).mul(-eta * s * s);
    assertTrue(maxDiff(moved.toDoubles(), projected.toDoubles()) <= TOL, "ΔW = −η s² BBᵀ g AᵀA");
    assertEquals(0.0, maxDiff(w0.toDoubles(), xs.base().weight().value().toDoubles()), "W0 is not compensated");
  }

  /** ∂loss/∂W of the Linear at {@code path}, with W bound to {@code w}. */
  private static Tensor fullGradientAt(Sequential net, String path, Tensor w, Supplier<Tensor> loss) {
    Tensor leaf = w.withGrad();
    return net.withParameters(Map.of(path + ".weight", leaf), loss).backward().of(leaf);
  }

  @Test
  void mismatchedAdaptersAndMissingDataAreNamedErrors() {
    Sequential net = mlp(Rng.seeded(6));
    LoraModel xs = LoraModel.loraXs(net, p -> p.equals("0"), 2, 2, Rng.seeded(7));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraScheme.pissa().apply(xs, Rng.seeded(8)))
        .getMessage().contains("LoRALinear"));
    LoraModel lora = LoraModel.lora(mlp(Rng.seeded(6)), p -> p.equals("0"), 2, 2, Rng.seeded(7));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraScheme.loraGa(Map.of()).apply(lora, Rng.seeded(8)))
        .getMessage().contains("'0'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraModel.lora(net, p -> p.equals("9"), 2, 2, Rng.seeded(1)))
        .getMessage().contains("no Linear"));
  }
}
