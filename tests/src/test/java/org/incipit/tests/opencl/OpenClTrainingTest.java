package org.incipit.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.incipit.autograd.Gradients;
import org.incipit.autograd.Losses;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Device;
import org.incipit.tensor.MemoryScope;
import org.incipit.tensor.Rng;
import org.incipit.tensor.opencl.OpenClBackend;
import org.junit.jupiter.api.Test;

/**
 * Training on OpenCL: the same small MLP trained from the same seed reaches the same losses as on
 * the CPU, and a long training loop under {@link MemoryScope} runs in constant device memory.
 */
class OpenClTrainingTest {
  /**
   * A 8 → 32 → 1 tanh MLP fitting y = sin(x·v) by full-batch gradient descent on 64 samples. The
   * parameters are replaced every step: the new values are kept out of the step's scope and the old
   * ones closed, so a step leaves exactly what it found.
   */
  static final class Mlp {
    final Tensor x;
    final Tensor y;
    final Tensor[] params = new Tensor[4];

    Mlp(Device d, long seed) {
      Rng rng = Rng.seeded(seed);
      Tensor v = Tensors.randn(rng.fork("v"), 8, 1);
      Tensor xs = Tensors.randn(rng.fork("x"), 64, 8);
      x = xs.to(d);
      y = xs.matmul(v).sin().to(d);
      params[0] = Tensors.randn(rng.fork("w1"), 8, 32).mul(1 / Math.sqrt(8)).to(d).withGrad();
      params[1] = Tensors.zeros(32).to(d).withGrad();
      params[2] = Tensors.randn(rng.fork("w2"), 32, 1).mul(1 / Math.sqrt(32)).to(d).withGrad();
      params[3] = Tensors.zeros(1).to(d).withGrad();
    }

    /** One step of gradient descent; returns the loss before the step (read back only if asked). */
    Tensor step(double lr) {
      Tensor h = x.matmul(params[0]).add(params[1]).tanh();
      Tensor loss = Losses.mseLoss(h.matmul(params[2]).add(params[3]), y, Reduction.MEAN);
      Gradients g = loss.backward();
      MemoryScope scope = MemoryScope.current();
      for (int i = 0; i < params.length; i++) {
        Tensor p = params[i];
        Tensor next = NoGrad.run(() -> p.sub(g.of(p).mul(lr))).withGrad();
        if (scope != null) {
          scope.keep(next.buffer());
        }
        p.buffer().close();
        params[i] = next;
      }
      return loss.detach();
    }
  }

  @Test
  void theSameMlpTrainsToTheSameLossOnCpuAndOpenCl() {
    Device cl = OpenClDevices.require();
    Mlp onCpu = new Mlp(Device.cpu(), 11);
    Mlp onCl = new Mlp(cl, 11);
    double first = 0;
    for (int step = 0; step < 20; step++) {
      double want = onCpu.step(0.2).item();
      double got;
      try (MemoryScope scope = MemoryScope.open()) {
        got = onCl.step(0.2).item();
      }
      assertEquals(want, got, 1e-4 * Math.abs(want), "loss at step " + step);
      first = step == 0 ? want : first;
      if (step == 19) {
        assertTrue(want < 0.7 * first, "the MLP learns: loss " + first + " -> " + want);
      }
    }
  }

  @Test
  void tenThousandStepsRunInConstantDeviceMemory() throws InterruptedException {
    Device cl = OpenClDevices.require();
    OpenClBackend be = OpenClDevices.backend(cl);
    Mlp mlp = new Mlp(cl, 5);
    long[] baseline = settledLiveCounts(be);
    double firstLoss = Double.NaN;
    for (int step = 0; step < 10_000; step++) {
      try (MemoryScope scope = MemoryScope.open()) {
        Tensor loss = mlp.step(0.1);
        if (step % 1000 == 0 || step == 9_999) { // read back now and then; no sync per step otherwise
          double v = loss.item();
          firstLoss = step == 0 ? v : firstLoss;
          assertTrue(Double.isFinite(v), "loss at step " + step + " is " + v);
        }
      }
      if (step % 500 == 0 || step == 9_999) {
        // garbage that earlier tests left to the Cleaner may still be released now, so the count may
        // fall below the baseline; a step that kept a buffer would make it grow
        assertTrue(be.liveBuffers() <= baseline[0], "live device buffers after step " + step + ": "
            + be.liveBuffers() + " > baseline " + baseline[0]);
        assertTrue(be.liveBytes() <= baseline[1], "live device bytes after step " + step);
      }
    }
    long[] after = settledLiveCounts(be); // 10,000 steps that each kept one buffer would show here
    assertTrue(after[0] <= baseline[0] && after[1] <= baseline[1], "live buffers/bytes " + after[0] + "/" + after[1]
        + " after 10,000 steps, baseline " + baseline[0] + "/" + baseline[1]);
    assertTrue(mlp.step(0).item() < firstLoss, "training made progress");
  }

  /** Live (buffers, bytes) once collected garbage has been released: three equal readings 50 ms apart. */
  private static long[] settledLiveCounts(OpenClBackend be) throws InterruptedException {
    long last = -1;
    int equal = 0;
    for (int i = 0; i < 100 && equal < 3; i++) {
      System.gc();
      Thread.sleep(50);
      long now = be.liveBuffers();
      equal = now == last ? equal + 1 : 0;
      last = now;
    }
    return new long[] {be.liveBuffers(), be.liveBytes()};
  }
}
