package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;
import org.incipit.tensor.cpu.Parallel;
import org.junit.jupiter.api.Test;

/**
 * A seed fixes every value: the same computation run with the CPU backend's thread pool and run
 * inline on one thread gives bit-identical losses and gradients (large enough that matmul,
 * reductions and index-add really split their work).
 */
class DeterminismTest {
  private static double[][] run(long seed) {
    Rng rng = Rng.seeded(seed);
    Tensor x = Tensors.randn(rng.fork("x"), 256, 300);
    Tensor w1 = Tensors.randn(rng.fork("w1"), 300, 200).mul(0.05).withGrad();
    Tensor w2 = Tensors.randn(rng.fork("w2"), 200, 10).mul(0.05).withGrad();
    Tensor img = Tensors.randn(rng.fork("img"), 8, 3, 12, 12);
    Tensor k = Tensors.randn(rng.fork("k"), 4, 3, 3, 3).withGrad();
    Tensor target = Tensors.ofLongs(rng.fork("t").integers(256, 10), 256);
    Tensor h = Functional.gelu(x.matmul(w1));                               // (256, 200)
    Tensor logits = Functional.layerNorm(h, new int[] {200}, null, null, 1e-5).matmul(w2); // (256, 10)
    Tensor conv = Convolutions.conv2d(img, k, null, 1, 1, 1);               // (8, 4, 12, 12)
    Tensor emb = Functional.embedding(target, w2);                          // (256, 10)
    Tensor loss = Losses.crossEntropy(logits, target).add(conv.square().mean()).add(emb.sum().mul(1e-3));
    Gradients g = loss.backward();
    return new double[][] {loss.toDoubles(), g.of(w1).toDoubles(), g.of(w2).toDoubles(), g.of(k).toDoubles()};
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    double[][] parallel = run(7);
    double[][] inline = Parallel.sequentially(() -> run(7));
    for (int i = 0; i < parallel.length; i++) {
      assertArrayEquals(parallel[i], inline[i], 0.0, "output " + i + " differs between 1 and "
          + Parallel.threads() + " threads");
    }
    assertArrayEquals(parallel[0], run(7)[0], 0.0, "same seed, same loss");
  }
}
