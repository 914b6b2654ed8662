package org.incipit.autograd;

import org.incipit.autograd.ops.CrossEntropyRows;
import org.incipit.tensor.DType;

/** Loss functions, as Tensor composites (PyTorch semantics and defaults); cross-entropy has a fused form. */
public final class Losses {
  private Losses() {}

  /**
   * Options of {@link #crossEntropy}: label smoothing ε in [0, 1], the target value to ignore
   * (PyTorch's default −100) and the reduction.
   */
  public record CrossEntropyOptions(double labelSmoothing, long ignoreIndex, Reduction reduction) {
    public CrossEntropyOptions {
      if (labelSmoothing < 0 || labelSmoothing > 1) {
        throw new IllegalArgumentException("cross_entropy: label_smoothing must be in [0, 1], got " + labelSmoothing);
      }
    }

    /** No smoothing, ignore index −100, mean reduction. */
    public static CrossEntropyOptions defaults() {
      return new CrossEntropyOptions(0.0, -100, Reduction.MEAN);
    }

    public CrossEntropyOptions withLabelSmoothing(double eps) {
      return new CrossEntropyOptions(eps, ignoreIndex, reduction);
    }

    public CrossEntropyOptions withIgnoreIndex(long index) {
      return new CrossEntropyOptions(labelSmoothing, index, reduction);
    }

    public CrossEntropyOptions withReduction(Reduction r) {
      return new CrossEntropyOptions(labelSmoothing, ignoreIndex, r);
    }
  }

  /** {@link #crossEntropy(Tensor, Tensor, CrossEntropyOptions)} with the defaults. */
  public static Tensor crossEntropy(Tensor logits, Tensor target) {
    return crossEntropy(logits, target, CrossEntropyOptions.defaults());
  }

  /**
   * Cross-entropy of logits (N, C) or (N, C, d₁, …) against integer class targets (N) or
   * (N, d₁, …), classes on axis 1 as in F.cross_entropy:
   * <pre>
   * ℓᵢ = (1 − ε)·(−log pᵢ[yᵢ]) + ε·(−(1/C) Σ_c log pᵢ[c]),   p = softmax(logits)
   * </pre>
   * Targets equal to the ignore index contribute nothing, and the mean is over the others. Where
   * the backend has the fused "cross_entropy" kernel, the row losses and their gradient come from
   * {@link CrossEntropyRows}; elsewhere from {@link #crossEntropyReference}, its reference.
   *
   * @throws IndexOutOfBoundsException naming the first target outside [0, C) that is not ignored
   */
  public static Tensor crossEntropy(Tensor logits, Tensor target, CrossEntropyOptions o) {
    Rows rows = rows(logits, target, o);
    if (!rows.z().dtype().isFloating() || !rows.z().backend().hasFused("cross_entropy")) {
      return reference(rows, target, o);
    }
    long[] classes = new long[rows.safe().length]; // −1 marks an ignored row
    for (int i = 0; i < classes.length; i++) {
      classes[i] = rows.keep()[i] == 0 ? -1 : rows.safe()[i];
    }
    Tensor per = CrossEntropyRows.apply(rows.z(), classes, o.labelSmoothing()); // (M)
    return reduce(per, () -> per.constant(java.util.Arrays.stream(rows.keep()).sum()), target, o);
  }

  /** {@link #crossEntropy} as the composite of log-softmax, gather and mean: the fused op's reference. */
  public static Tensor crossEntropyReference(Tensor logits, Tensor target, CrossEntropyOptions o) {
    return reference(rows(logits, target, o), target, o);
  }

  /** Logits as (M, C) with classes last, the targets with ignored ones set to 0, and 1/0 keep flags. */
  private record Rows(Tensor z, long[] safe, double[] keep) {}

  private static Rows rows(Tensor logits, Tensor target, CrossEntropyOptions o) {
    if (target.dtype().isFloating() || target.dtype() == DType.BOOL) {
      throw new IllegalArgumentException("cross_entropy: targets must be integer class indices, got " + target.dtype());
    }
    if (logits.rank() < 1) {
      throw new IllegalArgumentException("cross_entropy: logits need a class axis, got shape " + logits.shape());
    }
    Tensor z = logits.rank() == 1 ? logits.unsqueeze(0) : logits;
    int classes = z.size(1);
    var expected = z.shape().without(1);
    Tensor t = logits.rank() == 1 ? target.reshape(1) : target;
    if (!t.shape().equals(expected)) {
      throw new IllegalArgumentException("cross_entropy: target shape " + target.shape()
          + " does not match logits " + logits.shape() + " (expected " + expected + ")");
    }
    if (z.rank() > 2) { // move classes last: (N, C, d…) -> (N·d…, C)
      int[] perm = new int[z.rank()];
      perm[0] = 0;
      for (int i = 1; i < z.rank() - 1; i++) {
        perm[i] = i + 1;
      }
      perm[z.rank() - 1] = 1;
      z = z.permute(perm);
    }
    z = z.reshape(-1, classes); // (M, C)
    long[] labels = t.toLongs();
    long[] safe = new long[labels.length];
    double[] keep = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == o.ignoreIndex()) {
        continue;
      }
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IndexOutOfBoundsException("cross_entropy: target class " + labels[i] + " at position " + i
            + " is out of range for " + classes + " classes (valid: 0.." + (classes - 1)
            + ", or the ignore index " + o.ignoreIndex() + ")");
      }
      safe[i] = labels[i];
      keep[i] = 1;
    }
    return new Rows(z, safe, keep);
  }

  private static Tensor reference(Rows rows, Tensor target, CrossEntropyOptions o) {
    Tensor z = rows.z();
    Tensor logp = Functional.logSoftmax(z, -1); // (M, C)
    Tensor index = Tensors.ofLongs(rows.safe(), rows.safe().length, 1).to(z.device());
    Tensor nll = logp.gather(1, index).reshape(-1).neg(); // (M)
    Tensor per = nll;
    if (o.labelSmoothing() > 0) {
      per = nll.mul(1 - o.labelSmoothing()).add(logp.mean(-1).neg().mul(o.labelSmoothing()));
    }
    Tensor weight = Tensors.of(z.dtype(), rows.keep(), rows.keep().length).to(z.device());
    return reduce(per.mul(weight), weight::sum, target, o);
  }

  /** The row losses (M) reduced as asked; a mean divides by the kept rows' count. */
  private static Tensor reduce(Tensor per, java.util.function.Supplier<Tensor> count, Tensor target,
                               CrossEntropyOptions o) {
    return switch (o.reduction()) {
      case MEAN -> per.sum().div(count.get());
      case SUM -> per.sum();
      case NONE -> per.reshape(target.shape().dims());
    };
  }

  /** Mean squared error (broadcasting input and target). <pre>mean((x − y)²)</pre> */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    Tensor sq = input.sub(target).square();
    return switch (reduction) {
      case MEAN -> sq.mean();
      case SUM -> sq.sum();
      case NONE -> sq;
    };
  }
}
