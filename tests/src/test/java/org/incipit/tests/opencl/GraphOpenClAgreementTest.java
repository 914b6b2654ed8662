package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.models.nets.Gnn;
import org.incipit.nn.Parameter;
import org.incipit.nn.graph.GCNConv;
import org.incipit.nn.graph.GINConv;
import org.incipit.nn.graph.Graph;
import org.incipit.nn.graph.GraphLayer;
import org.incipit.nn.graph.SAGEConv;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.MemoryScope;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * Graph layers on OpenCL agree with the CPU within float32 tolerance, forward and backward, on a
 * random weighted directed graph (16 nodes, 60 edges, self loops, duplicates and nodes without
 * incoming edges possible): the output and the gradients of sum(output · G) for a random G with
 * respect to the node features, every parameter and the edge weights. Each layer is built from
 * the same seed on both devices. Skipped cleanly where no OpenCL device exists.
 */
class GraphOpenClAgreementTest {
  static final double ATOL = 2e-5;
  static final double RTOL = 1e-4;
  static final int N = 16;
  static final int E = 60;

  @Test
  void gcnAgreesForwardAndBackwardIncludingTheEdgeWeights() {
    agree("GCNConv", rng -> new GCNConv(5, 4, rng));
  }

  @Test
  void sageAgreesForwardAndBackward() {
    agree("SAGEConv", rng -> new SAGEConv(5, 4, rng));
  }

  @Test
  void ginWithTrainableEpsAgreesForwardAndBackward() {
    agree("GINConv", rng -> GINConv.trainableEps(new int[] {5, 6, 4}, 0.2, rng));
  }

  @Test
  void aThreeLayerGcnClassifierAgreesInEvaluationMode() {
    agree("Gnn", rng -> {
      Gnn net = new Gnn(new Gnn.Config(Gnn.Conv.GCN, 5, 8, 4, 3, 0.5), rng);
      net.eval();
      return net;
    });
  }

  private static void agree(String what, Function<Rng, GraphLayer> make) {
    Device cl = OpenClDevices.require();
    MemoryScope scope = MemoryScope.open(); // releases this test's device buffers
    try {
      List<double[]> cpu = run(make, Device.cpu());
      List<double[]> gpu = run(make, cl);
      assertEquals(cpu.size(), gpu.size());
      for (int i = 0; i < cpu.size(); i++) {
        assertClose(cpu.get(i), gpu.get(i), what + (i == 0 ? ": output" : i == 1 ? ": gradient of x"
            : i == 2 ? ": gradient of the edge weights" : ": gradient of parameter " + (i - 3)));
      }
    } finally {
      scope.close();
    }
  }

  /** Output, then the gradients of x, the edge weights and every parameter, on {@code device}. */
  private static List<double[]> run(Function<Rng, GraphLayer> make, Device device) {
    Rng rng = Rng.seeded(20260620);
    long[] ends = rng.fork("ends").integers(2 * E, N);
    Tensor index = Tensors.ofLongs(ends, 2, E).to(device);
    Tensor w = Tensors.of(DType.F32, rng.fork("w").uniform(E, 0.2, 2.0), E).to(device).withGrad();
    Graph g = Graph.of(index, w, N);
    Tensor x = Tensors.randn(rng.fork("x"), N, 5).to(device).withGrad();
    GraphLayer layer = make.apply(rng.fork("layer"));
    layer.to(DType.F32, device);
    Tensor out = layer.forward(x, g);
    Tensor upstream = Tensors.of(DType.F32, rng.fork("g").normal(out.numel()), out.shape(), device);
    Gradients grads = out.backward(upstream);
    List<double[]> values = new ArrayList<>(List.of(out.toDoubles(), grads.orZeros(x).toDoubles(),
        grads.orZeros(w).toDoubles()));
    for (Map.Entry<String, Parameter> p : layer.namedParameters().entrySet()) {
      values.add(grads.orZeros(p.getValue().value()).toDoubles());
    }
    return values;
  }

  private static void assertClose(double[] want, double[] got, String what) {
    assertEquals(want.length, got.length, what + ": size");
    for (int i = 0; i < want.length; i++) {
      double tol = ATOL + RTOL * Math.abs(want[i]);
      assertTrue(Math.abs(got[i] - want[i]) <= tol, what + ": element " + i + " cpu " + want[i] + " opencl " + got[i]);
    }
  }
}
