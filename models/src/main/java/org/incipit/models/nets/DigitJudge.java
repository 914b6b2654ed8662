package org.incipit.models.nets;

import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializers;
import org.incipit.models.data.Batches;
import org.incipit.models.data.LabeledData;
import org.incipit.optim.AdamW;
import org.incipit.tensor.Rng;

/**
 * Measurable proxies of sample quality for generated 8×8 digits (pixels in [0, 1]): a small MLP
 * classifier trained on real digits judges which digit a sample shows and how confidently, and the
 * distance to the nearest real training image says how realistic it is.
 *
 * <pre>
 *   agreement(S, y)  = (1/N)·Σᵢ [argmax p(·|sᵢ) = yᵢ]
 *   confidence(S)    = (1/N)·Σᵢ max_c p(c|sᵢ)
 *   nnRmse(S)        = (1/N)·Σᵢ min_j √(‖sᵢ − x_j‖² / 64),  x_j the training images
 * </pre>
 */
public final class DigitJudge {
  private final Mlp classifier;
  private final double[] train;
  private final int pixels;

  private DigitJudge(Mlp classifier, double[] train, int pixels) {
    this.classifier = classifier;
    this.train = train;
    this.pixels = pixels;
  }

  /** Trains the classifier (MLP pixels → 128 → classes, ReLU, AdamW 1e−3, batch 64) for {@code steps} steps. */
  public static DigitJudge train(LabeledData data, int steps, Rng rng) {
    Mlp net = new Mlp(new int[] {data.dimension(), 128, data.classes()}, Tensor::relu, Initializers.heNormal(),
        rng.fork("net"));
    AdamW opt = AdamW.of(net, AdamW.Hyper.defaults());
    for (int s = 0; s < steps; s++) {
      int[] rows = java.util.Arrays.copyOf(rng.fork("batch").fork(s).permutation(data.size()), Math.min(64, data.size()));
      LabeledData b = Batches.gather(data, rows);
      opt.step(Losses.crossEntropy(net.forward(b.features()), b.labels()).backward());
    }
    net.eval();
    return new DigitJudge(net, data.features().toDoubles(), data.dimension());
  }

  /** Class probabilities (N, classes) of images x (N, pixels) in [0, 1]. */
  public Tensor probabilities(Tensor x) {
    try (NoGrad ignored = NoGrad.enter()) {
      return Functional.softmax(classifier.forward(x), 1); // (N, classes)
    }
  }

  /** The fraction of images classified as {@code labels}. */
  public double agreement(Tensor x, long[] labels) {
    long[] predicted = probabilities(x).argmax(1).toLongs();
    int hit = 0;
    for (int i = 0; i < labels.length; i++) {
      hit += predicted[i] == labels[i] ? 1 : 0;
    }
    return (double) hit / labels.length;
  }

  /** The mean of the largest class probability. */
  public double confidence(Tensor x) {
    double[] p = probabilities(x).toDoubles();
    int n = x.size(0);
    int c = p.length / n;
    double s = 0;
    for (int i = 0; i < n; i++) {
      double m = 0;
      for (int j = 0; j < c; j++) {
        m = Math.max(m, p[i * c + j]);
      }
      s += m;
    }
    return s / n;
  }

  /** The mean per-pixel RMSE from each image to its nearest training image. */
  public double nearestNeighbourRmse(Tensor x) {
    double[] v = x.toDoubles();
    int n = v.length / pixels;
    int m = train.length / pixels;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < m && best > 0; j++) {
        double d = 0;
        for (int p = 0; p < pixels && d < best; p++) {
          double e = v[i * pixels + p] - train[j * pixels + p];
          d += e * e;
        }
        best = Math.min(best, d);
      }
      total += Math.sqrt(best / pixels);
    }
    return total / n;
  }

  /** The mean per-pixel RMSE between matching rows of a and b. */
  public static double rmse(Tensor a, Tensor b) {
    double[] x = a.toDoubles();
    double[] y = b.toDoubles();
    int n = a.size(0);
    int d = x.length / n;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int p = 0; p < d; p++) {
        s += (x[i * d + p] - y[i * d + p]) * (x[i * d + p] - y[i * d + p]);
      }
      total += Math.sqrt(s / d);
    }
    return total / n;
  }
}
