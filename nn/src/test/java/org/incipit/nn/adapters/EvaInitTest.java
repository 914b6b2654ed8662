package org.incipit.nn.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.linalg.Dense;
import org.incipit.nn.Sequential;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link EvaInit} on a two-layer linear net (float64) whose first layer sees strongly anisotropic
 * inputs and whitens them, so the second sees near-isotropic ones: outputs are unchanged at init (B = 0), the ranks sum to the budget with more on the
 * anisotropic layer, each A has orthonormal rows, and layer 0's A spans the top principal
 * directions of its inputs (checked against the SVD of all its centred inputs to 1e−2 in the projection:
 * the streaming PCA keeps round(ρr) = 4 components, so it is exact only up to the discarded tail,
 * ~1e−4 of the variance here).
 */
class EvaInitTest {
  @Test
  void evaBuildsNoOpAdaptersOnThePrincipalInputDirections() {
    Rng rng = Rng.seeded(1);
    Sequential net = new Sequential(new Linear(8, 8, rng.fork("0")), new Linear(8, 8, rng.fork("1")));
    net.to(DType.F64, Device.cpu());
    double[] scales = {10, 9, 8, 0.1, 0.1, 0.1, 0.1, 0.1}; // three strong directions
    double[][] all = new double[0][];
    Tensor[] batches = new Tensor[40];
    for (int t = 0; t < batches.length; t++) {
      double[][] z = Dense.of(Tensors.randn(rng.fork("x").fork(t), 32, 8).cast(DType.F64), "test");
      for (double[] row : z) {
        for (int j = 0; j < 8; j++) {
          row[j] *= scales[j];
        }
      }
      batches[t] = Dense.tensor(z, DType.F64);
    }
    double[] whiten = new double[64];
    for (int j = 0; j < 8; j++) {
      whiten[j * 8 + j] = 1 / scales[j]; // layer 0 whitens, so layer 1 sees near-isotropic inputs
    }
    ((Linear) net.children().get("0")).weight().assign(Tensors.of(DType.F64, whiten, 8, 8));
    Tensor probe = batches[0];
    double[] before = net.forward(probe).toDoubles();
    LoraModel lora = EvaInit.fit(net, p -> true, 2, 2, new EvaInit.Options(2.0, 0.999, false, batches.length),
        t -> () -> net.forward(batches[t % batches.length]), rng.fork("eva"));
    double[] after = lora.call(() -> net.forward(probe)).toDoubles();
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i], after[i], 1e-12, "B = 0: outputs unchanged");
    }
    Map<String, Integer> ranks = EvaInit.ranks(lora, net, p -> true);
    assertEquals(4, ranks.values().stream().mapToInt(Integer::intValue).sum(), "ranks sum to the budget: " + ranks);
    assertTrue(ranks.get("0") >= 3, "the anisotropic layer draws rank: " + ranks);
    double[][] a = Dense.of(lora.adapters().get("0").parameters().get(0).value(), "test");
    double[][] gram = Dense.mul(a, Dense.transpose(a));
    for (int i = 0; i < gram.length; i++) {
      for (int j = 0; j < gram.length; j++) {
        assertEquals(i == j ? 1 : 0, gram[i][j], 1e-10, "AAᵀ = I");
      }
    }
    // the top principal subspace of all inputs layer 0 saw (the batches EVA consumed)
    for (Tensor b : batches) {
      double[][] rows = Dense.of(b, "test");
      double[][] grown = java.util.Arrays.copyOf(all, all.length + rows.length);
      System.arraycopy(rows, 0, grown, all.length, rows.length);
      all = grown;
    }
    assertTrue(projectionGap(a, all) < 1e-2, "A spans the top principal directions");
  }

  /** ‖AᵀA − V_k V_kᵀ‖_max for V_k the top-k principal directions of {@code x} (k = rows of A). */
  private static double projectionGap(double[][] a, double[][] x) {
    int n = x[0].length;
    double[] mean = new double[n];
    for (double[] row : x) {
      for (int j = 0; j < n; j++) {
        mean[j] += row[j] / x.length;
      }
    }
    double[][] c = new double[x.length][n];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < n; j++) {
        c[i][j] = x[i][j] - mean[j];
      }
    }
    double[][] v = Dense.columns(Dense.svd(c).v(), 0, a.length, null);
    double[][] diff = Dense.combine(1, Dense.mul(Dense.transpose(a), a), -1, Dense.mul(v, Dense.transpose(v)));
    double m = 0;
    for (double[] row : diff) {
      for (double d : row) {
        m = Math.max(m, Math.abs(d));
      }
    }
    return m;
  }
}
