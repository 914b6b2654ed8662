package org.incipit.autograd;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.tensor.DType;
import org.junit.jupiter.api.Test;

class EngineTest {
  private static Tensor f32(float... v) {
    return Tensors.of(v, v.length);
  }

  @Test
  void readmeExampleGivesHandDerivedGradients() {
    // loss = Σ tanh(W x);  dL/dW[i, j] = (1 − tanh²(Σⱼ W[i, j] x[j])) · x[j]
    Tensor w = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2).withGrad();
    Tensor x = f32(1, -1);
    Gradients g = w.matmul(x).tanh().sum().backward();
    double d0 = 1 - Math.pow(Math.tanh(1 - 2), 2);
    double d1 = 1 - Math.pow(Math.tanh(3 - 4), 2);
    assertArrayEquals(new double[] {d0, -d0, d1, -d1}, g.of(w).toDoubles(), 1e-6);
  }

  @Test
  void aTensorUsedTwiceAccumulates() {
    Tensor x = f32(3).withGrad();
    // y = x·x + x  →  dy/dx = 2x + 1 = 7
    Tensor y = x.mul(x).add(x);
    assertEquals(7.0, y.sum().backward().of(x).item(), 1e-6);
  }

  @Test
  void backwardIsIdempotentAndDoesNotAccumulateAcrossCalls() {
    Tensor x = f32(1, 2).withGrad();
    Tensor loss = x.exp().sum();
    double[] first = loss.backward().of(x).toDoubles();
    double[] second = loss.backward().of(x).toDoubles();
    assertArrayEquals(first, second, 0.0);
    assertArrayEquals(new double[] {Math.E, Math.exp(2)}, first, 1e-5);
  }

  @Test
  void broadcastGradientIsTheSumOverExpandedAxes() {
    Tensor a = Tensors.ones(3, 4).withGrad();
    Tensor b = f32(1, 2, 3, 4).withGrad(); // (4) broadcast over 3 rows
    Gradients g = a.mul(b).sum().backward();
    assertEquals(org.incipit.tensor.Shape.of(4), g.of(b).shape());
    assertArrayEquals(new double[] {3, 3, 3, 3}, g.of(b).toDoubles(), 0.0);
    assertArrayEquals(new double[] {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}, g.of(a).toDoubles(), 0.0);
  }

  @Test
  void ofIntsIsAnI64TensorOfTheSameValues() {
    Tensor t = Tensors.ofInts(new int[] {3, -1, Integer.MAX_VALUE, 0}, 2, 2);
    assertEquals(DType.I64, t.dtype());
    assertEquals(org.incipit.tensor.Shape.of(2, 2), t.shape());
    assertArrayEquals(new long[] {3, -1, Integer.MAX_VALUE, 0}, t.toLongs());
    assertThrows(IllegalArgumentException.class, () -> Tensors.ofInts(new int[] {1, 2, 3}, 2, 2));
  }

  @Test
  void integerTensorsRefuseGradients() {
    Tensor idx = Tensors.ofLongs(new long[] {1, 2}, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, idx::withGrad);
    assertTrue(e.getMessage().contains("I64"), e.getMessage());
    Tensor w = Tensors.ones(4, 2).withGrad();
    Tensor rows = w.indexSelect(0, idx);
    Gradients g = rows.sum().backward();
    assertArrayEquals(new double[] {0, 0, 1, 1, 1, 1, 0, 0}, g.of(w).toDoubles(), 0.0);
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> g.of(idx));
    assertTrue(e2.getMessage().contains("does not require gradients"), e2.getMessage());
  }

  @Test
  void noGradRecordsNothingAndGivesTheSameValues() {
    Tensor x = f32(0.5f, -1.5f).withGrad();
    Tensor recorded = x.tanh().mul(x).exp();
    Tensor plain;
    try (NoGrad ignored = NoGrad.enter()) {
      plain = x.tanh().mul(x).exp();
      assertTrue(NoGrad.isActive());
    }
    assertFalse(NoGrad.isActive());
    assertFalse(plain.requiresGrad());
    assertTrue(plain.isLeaf());
    assertTrue(recorded.requiresGrad());
    assertEquals("exp", recorded.op());
    assertArrayEquals(recorded.toDoubles(), plain.toDoubles(), 0.0);
  }

  @Test
  void unreachedLeafIsANamedError() {
    Tensor x = f32(1).withGrad();
    Tensor unused = f32(2).withGrad();
    Gradients g = x.mul(2.0).sum().backward();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.of(unused));
    assertTrue(e.getMessage().contains("did not reach"), e.getMessage());
    assertArrayEquals(new double[] {0}, g.orZeros(unused).toDoubles(), 0.0);
  }

  @Test
  void backwardWithoutGradientNeedsAScalar() {
    Tensor x = f32(1, 2).withGrad();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.mul(2.0).backward());
    assertTrue(e.getMessage().contains("[2]"), e.getMessage());
  }

  @Test
  void createGraphGivesSecondDerivatives() {
    // y = x³: dy/dx = 3x², d²y/dx² = 6x
    Tensor x = Tensors.of(DType.F64, new double[] {2.0}).withGrad();
    Tensor y = x.pow(3).sum();
    Tensor dx = y.backward(Tensors.onesLike(y), GradMode.CREATE_GRAPH).of(x);
    assertEquals(12.0, dx.item(), 1e-12);
    assertTrue(dx.requiresGrad());
    assertEquals(12.0, dx.sum().backward().of(x).item(), 1e-12);
  }

  @Test
  void gradWithRespectToAnIntermediateTensor() {
    Tensor x = f32(1, 2).withGrad();
    Tensor h = x.mul(3.0);
    Tensor y = h.square().sum();
    Gradients g = Autograd.grad(y, Tensors.scalar(1), GradMode.FIRST_ORDER, h, x);
    assertArrayEquals(new double[] {6, 12}, g.of(h).toDoubles(), 1e-6); // 2h
    assertArrayEquals(new double[] {18, 36}, g.of(x).toDoubles(), 1e-6); // 2h·3
  }

  @Test
  void gradientsPlusIsExplicitAccumulation() {
    Tensor x = f32(1, 2).withGrad();
    Gradients a = x.sum().backward();
    Gradients b = x.mul(2.0).sum().backward();
    assertArrayEquals(new double[] {3, 3}, a.plus(b).of(x).toDoubles(), 0.0);
    assertArrayEquals(new double[] {1, 1}, a.of(x).toDoubles(), 0.0, "plus does not mutate");
  }

  @Test
  void anomalyModeNamesTheFirstOpThatProducedNaN() {
    Tensor x = f32(1, -1).withGrad();
    assertDoesNotThrow(() -> x.sqrt()); // off by default: NaN flows silently
    try (Anomaly ignored = Anomaly.detect()) {
      Tensor y = x.mul(2.0);
      AnomalyException e = assertThrows(AnomalyException.class, () -> y.sqrt().log());
      assertTrue(e.getMessage().contains("'sqrt'") && e.getMessage().contains("[2]"), e.getMessage());
    }
  }

  @Test
  void anomalyModeChecksBackwardToo() {
    // sqrt at 0 is finite forward, but its derivative 1/(2√x) is infinite
    Tensor x = f32(0, 1).withGrad();
    try (Anomaly ignored = Anomaly.detect()) {
      Tensor y = x.sqrt().sum();
      AnomalyException e = assertThrows(AnomalyException.class, y::backward);
      assertTrue(e.getMessage().contains("backward of op 'sqrt'") && e.getMessage().contains("Infinity"), e.getMessage());
    }
  }

  @Test
  void deepChainsDoNotOverflowTheStack() {
    Tensor x = f32(1).withGrad();
    Tensor y = x;
    for (int i = 0; i < 20_000; i++) {
      y = y.add(1.0);
    }
    assertEquals(1.0, y.sum().backward().of(x).item(), 0.0);
  }

  @Test
  void floatAndDoubleOperandsPromote() {
    Tensor a = f32(1, 2).withGrad();
    Tensor b = Tensors.of(DType.F64, new double[] {3, 4}, 2).withGrad();
    Tensor c = a.mul(b);
    assertEquals(DType.F64, c.dtype());
    Gradients g = c.sum().backward();
    assertEquals(DType.F32, g.of(a).dtype(), "gradient keeps its input's dtype");
    assertArrayEquals(new double[] {3, 4}, g.of(a).toDoubles(), 0.0);
  }
}
