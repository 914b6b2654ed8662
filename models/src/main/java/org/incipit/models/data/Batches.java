package org.incipit.models.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.incipit.tensor.Rng;

/**
 * Seeded mini-batch order: epoch e visits the rows in the order {@code rng.fork(e).permutation(n)},
 * cut into consecutive batches. The order is a pure function of (seed, stream, epoch), so a run can
 * resume at any epoch and give the same batches. Give the batches a stream of their own, e.g.
 * {@code rng.fork("batches")}.
 *
 * <pre>
 * Rng order = Rng.seeded(42).fork("batches");
 * for (int epoch = 0; epoch &lt; epochs; epoch++) {
 *   for (int[] rows : Batches.indices(train.size(), 64, order, epoch)) {
 *     LabeledData b = Batches.gather(train, rows);   // features (B, D), labels (B)
 *     ...
 *   }
 * }
 * </pre>
 */
public final class Batches {
  /** What to do with the last batch when the batch size does not divide n. */
  public enum Remainder {
    /** Keep the smaller last batch: every row is visited exactly once per epoch. */
    KEEP,
    /** Drop it: every batch has exactly {@code batchSize} rows; n mod batchSize rows sit the epoch out. */
    DROP
  }

  private Batches() {}

  /** The batches of epoch {@code epoch}, keeping a smaller last batch (every row once per epoch). */
  public static List<int[]> indices(int n, int batchSize, Rng rng, int epoch) {
    return indices(n, batchSize, rng, epoch, Remainder.KEEP);
  }

  /**
   * The batches of epoch {@code epoch}: {@code rng.fork(epoch).permutation(n)} cut into
   * consecutive pieces of {@code batchSize} rows; the last, smaller piece is kept or dropped.
   */
  public static List<int[]> indices(int n, int batchSize, Rng rng, int epoch, Remainder remainder) {
    if (n < 0 || batchSize < 1) {
      throw new IllegalArgumentException("Batches.indices: need n >= 0 and batchSize >= 1, got n = " + n
          + ", batchSize = " + batchSize);
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("Batches.indices: epoch must be non-negative, got " + epoch);
    }
    int[] order = rng.fork(epoch).permutation(n);
    int end = remainder == Remainder.DROP ? n - n % batchSize : n;
    List<int[]> batches = new ArrayList<>();
    for (int start = 0; start < end; start += batchSize) {
      batches.add(Arrays.copyOfRange(order, start, Math.min(start + batchSize, end)));
    }
    return batches;
  }

  /** The examples at {@code rows}: features (B, D), labels (B). */
  public static LabeledData gather(LabeledData data, int[] rows) {
    return data.subset(rows);
  }

  /** All batches of epoch {@code epoch} of {@code data}, gathered: each features (B, D), labels (B). */
  public static List<LabeledData> epoch(LabeledData data, int batchSize, Rng rng, int epoch, Remainder remainder) {
    List<LabeledData> out = new ArrayList<>();
    for (int[] rows : indices(data.size(), batchSize, rng, epoch, remainder)) {
      out.add(data.subset(rows));
    }
    return out;
  }
}
