package org.incipit.models.data;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;

/**
 * A classification dataset: one feature row and one class label per example.
 *
 * <p>An immutable value. The loaders ({@link Digits}, {@link Iris}) make F32 features and I64
 * labels on the CPU; {@link #subset} keeps the device of the features.
 *
 * @param features (N, D) floating-point features, row i describing example i
 * @param labels (N) I64 class ids in [0, classes)
 * @param classes the number of classes (the logits width of a classifier)
 */
public record LabeledData(Tensor features, Tensor labels, int classes) {

  /** Checks shapes, dtypes and that every label lies in [0, classes). */
  public LabeledData {
    if (features.rank() != 2 || !features.dtype().isFloating()) {
      throw new IllegalArgumentException("LabeledData: features must be a (N, D) float tensor, got "
          + features.dtype() + " " + features.shape());
    }
    if (labels.rank() != 1 || labels.dtype() != DType.I64) {
      throw new IllegalArgumentException("LabeledData: labels must be a (N) I64 tensor, got "
          + labels.dtype() + " " + labels.shape());
    }
    if (labels.size(0) != features.size(0)) {
      throw new IllegalArgumentException("LabeledData: " + features.size(0) + " feature rows but "
          + labels.size(0) + " labels");
    }
    if (classes < 1) {
      throw new IllegalArgumentException("LabeledData: classes must be positive, got " + classes);
    }
    long[] y = labels.toLongs();
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= classes) {
        throw new IllegalArgumentException("LabeledData: label " + i + " is " + y[i] + ", outside [0, " + classes + ")");
      }
    }
  }

  /** The number of examples N. */
  public int size() {
    return features.size(0);
  }

  /** The number of features per example D. */
  public int dimension() {
    return features.size(1);
  }

  /** The examples at {@code rows}, in that order (repeats allowed): features (R, D), labels (R). */
  public LabeledData subset(int[] rows) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= size()) {
        throw new IndexOutOfBoundsException("LabeledData.subset: row " + rows[i] + " at position " + i
            + " is outside [0, " + size() + ")");
      }
    }
    Tensor idx = Tensors.ofInts(rows, rows.length); // (R)
    return new LabeledData(
        features.indexSelect(0, idx.to(features.device())), // (R, D)
        labels.indexSelect(0, idx.to(labels.device())),     // (R)
        classes);
  }

  /** How many examples each class has: {@code counts[c]} for c in [0, classes). */
  public int[] classCounts() {
    int[] counts = new int[classes];
    for (long y : labels.toLongs()) {
      counts[(int) y]++;
    }
    return counts;
  }
}
