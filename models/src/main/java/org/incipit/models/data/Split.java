package org.incipit.models.data;

import java.util.Arrays;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;

/**
 * A train/validation split of a {@link LabeledData}, fixed by a seed.
 *
 * <p>Both factories draw one permutation {@code rng.permutation(N)}, so the same {@link Rng}
 * (seed and stream) always gives the same split, rows in the same order, and another stream gives
 * another. Pass a stream of its own, e.g. {@code rng.fork("split")}, so that the split does not
 * change when other code draws from the root.
 *
 * <pre>
 * Split s = Split.of(Digits.load(), 0.2, Rng.seeded(42).fork("split"));
 * s.train().size();        // 1438
 * s.validation().size();   // 359 = round(0.2 · 1797)
 * </pre>
 *
 * @param train the examples to fit on
 * @param validation the held-out examples, disjoint from {@code train}
 */
public record Split(LabeledData train, LabeledData validation) {

  /**
   * A seeded random split: with p = {@code rng.permutation(N)} and V = round(f·N), validation is
   * rows p[0..V) and train is rows p[V..N), each in permutation order. Both parts must be non-empty.
   */
  public static Split of(LabeledData data, double validationFraction, Rng rng) {
    int n = data.size();
    int v = validationSize(n, validationFraction);
    int[] p = rng.permutation(n);
    return new Split(data.subset(Arrays.copyOfRange(p, v, n)), data.subset(Arrays.copyOfRange(p, 0, v)));
  }

  /**
   * A seeded stratified split: class c with N_c examples puts round(f·N_c) of them in validation.
   * Walking {@code rng.permutation(N)}, a row goes to validation while its class quota lasts, else
   * to train; both parts keep the permutation order.
   */
  public static Split stratified(LabeledData data, double validationFraction, Rng rng) {
    int n = data.size();
    validationSize(n, validationFraction);
    int[] quota = data.classCounts();
    for (int c = 0; c < quota.length; c++) {
      quota[c] = (int) Math.round(quota[c] * validationFraction);
    }
    long[] y = data.labels().toLongs();
    int[] train = new int[n];
    int[] validation = new int[n];
    int t = 0;
    int v = 0;
    for (int row : rng.permutation(n)) {
      int c = (int) y[row];
      if (quota[c] > 0) {
        quota[c]--;
        validation[v++] = row;
      } else {
        train[t++] = row;
      }
    }
    if (t == 0 || v == 0) {
      throw new IllegalArgumentException("Split.stratified: fraction " + validationFraction + " of " + n
          + " examples leaves " + (t == 0 ? "train" : "validation") + " empty");
    }
    return new Split(data.subset(Arrays.copyOf(train, t)), data.subset(Arrays.copyOf(validation, v)));
  }

  private static int validationSize(int n, double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("Split: validation fraction must be in (0, 1), got " + fraction);
    }
    int v = (int) Math.round(n * fraction);
    if (v < 1 || v > n - 1) {
      throw new IllegalArgumentException("Split: fraction " + fraction + " of " + n + " examples gives "
          + v + " validation examples; both parts must be non-empty");
    }
    return v;
  }

  /**
   * Both parts standardised per feature with the training part's statistics only:
   * <pre>x' = (x − μ_train) / σ_train</pre>
   * σ is the population standard deviation (divisor N, as scikit-learn's {@code StandardScaler});
   * a constant feature (σ = 0) is only centred. Computed on the host in double precision; the
   * features keep their dtype and device.
   */
  public Split standardized() {
    int n = train.size();
    int d = train.dimension();
    double[] x = train.features().toDoubles(); // (N, D)
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += x[i * d + j] / n;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double e = x[i * d + j] - mean[j];
        std[j] += e * e / n;
      }
    }
    for (int j = 0; j < d; j++) {
      std[j] = std[j] > 0 ? Math.sqrt(std[j]) : 1.0;
    }
    return new Split(scaled(train, mean, std), scaled(validation, mean, std));
  }

  private static LabeledData scaled(LabeledData data, double[] mean, double[] std) {
    int d = mean.length;
    double[] x = data.features().toDoubles(); // (N, D)
    for (int i = 0; i < x.length; i++) {
      x[i] = (x[i] - mean[i % d]) / std[i % d];
    }
    var features = Tensors.of(data.features().dtype(), x, data.features().shape(), data.features().device()); // (N, D)
    return new LabeledData(features, data.labels(), data.classes());
  }
}
