package org.incipit.models.studies;

import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.LowRankRegression;
import org.incipit.nn.Module;
import org.incipit.optim.AdamW;
import org.incipit.tensor.Rng;

/**
 * Fitting a {@link LowRankRegression} with Adam: the shared loop of the LoRA-family studies. Step t
 * draws a fresh batch from {@code rng.fork(t)}; the loss is the mean squared error; the test loss
 * is measured on one fixed batch of 1,024 samples from {@code rng.fork("test")}.
 */
final class RegressionFit {
  private RegressionFit() {}

  /** How a method predicts: inputs (n, d_in) → outputs (n, d_out), in the graph of its trainable parameters. */
  interface Predictor {
    Tensor predict(Tensor x);
  }

  /** Training loss per step and the test loss before (index 0) and after every {@code every} steps. */
  record Curve(double[] train, double[] test) {
    double finalTest() {
      return test[test.length - 1];
    }
  }

  static Curve fit(Module trainable, Predictor method, LowRankRegression task, int steps, int batch, double lr, int every,
                   Rng rng) {
    AdamW opt = AdamW.of(trainable, AdamW.Hyper.defaults().withLr(lr).withWeightDecay(0));
    LowRankRegression.Batch test = task.batch(1024, rng.fork("test"));
    double[] train = new double[steps];
    double[] testLoss = new double[steps / every + 1];
    testLoss[0] = mse(method, test);
    for (int t = 0; t < steps; t++) {
      LowRankRegression.Batch b = task.batch(batch, rng.fork(t));
      Tensor loss = method.predict(b.x()).sub(b.y()).square().mean();
      train[t] = loss.item();
      opt.step(loss.backward());
      if ((t + 1) % every == 0) {
        testLoss[(t + 1) / every] = mse(method, test);
      }
    }
    return new Curve(train, testLoss);
  }

  static double mse(Predictor method, LowRankRegression.Batch b) {
    return NoGrad.run(() -> method.predict(b.x()).sub(b.y()).square().mean().item());
  }
}
