package org.incipit.models.data;

import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;

/**
 * The 8×8 handwritten digits of scikit-learn's {@code load_digits}: 1,797 images, 10 classes.
 *
 * <p>Source: the test set ({@code optdigits.tes}) of the UCI "Optical Recognition of Handwritten
 * Digits" data set (E. Alpaydin, C. Kaynak, 1998), as shipped in scikit-learn
 * ({@code sklearn/datasets/data/digits.csv.gz}, copied byte for byte; licence and provenance in
 * {@code DATA-LICENSES.md}). Each 32×32 bitmap was divided into 4×4 blocks and the "on" pixels of
 * each block counted, so a pixel is an integer in 0..16. The CSV has one image per line: 64 pixels
 * in row-major order, then the digit.
 *
 * <pre>
 * LabeledData d = Digits.load();                // features (1797, 64) in [0, 1], labels (1797)
 * Tensor x = Digits.images(d.features());       // (1797, 1, 8, 8) for a CNN
 * </pre>
 */
public final class Digits {
  /** The resource under {@code data/} on the classpath. */
  public static final String RESOURCE = "digits.csv.gz";
  /** Number of images. */
  public static final int SIZE = 1797;
  /** Image side in pixels. */
  public static final int SIDE = 8;
  /** Pixels per image (8 × 8). */
  public static final int PIXELS = SIDE * SIDE;
  /** Number of classes, the digits 0..9. */
  public static final int CLASSES = 10;
  /** The largest raw pixel value (a count of on-pixels in a 4×4 block). */
  public static final int MAX_INTENSITY = 16;

  private Digits() {}

  /**
   * All 1,797 digits in file order: features (1797, 64) F32 = pixel / 16, in [0, 1]; labels (1797)
   * I64 in 0..9. Use {@link Split} and {@link Batches} for a seeded order.
   */
  public static LabeledData load() {
    LabeledData d = parse("data/" + RESOURCE, DataResources.text(RESOURCE));
    if (d.size() != SIZE) {
      throw new IllegalStateException("dataset resource data/" + RESOURCE + " has " + d.size()
          + " images, expected " + SIZE);
    }
    return d;
  }

  /** Features (N, 64) viewed as images (N, 1, 8, 8): one channel, rows then columns. */
  public static Tensor images(Tensor features) {
    if (features.rank() != 2 || features.size(1) != PIXELS) {
      throw new IllegalArgumentException("Digits.images: expected features (N, " + PIXELS + "), got " + features.shape());
    }
    return features.reshape(features.size(0), 1, SIDE, SIDE); // (N, 1, 8, 8)
  }

  /** Parses the CSV text: 64 integer pixels in 0..16 and a digit in 0..9 per line. */
  static LabeledData parse(String label, String csv) {
    List<DataResources.Row> rows = DataResources.csv(label, csv, 0, PIXELS + 1);
    int n = rows.size();
    float[] x = new float[n * PIXELS]; // (N, 64) row-major
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      String[] cells = rows.get(i).cells();
      int line = rows.get(i).line();
      for (int j = 0; j < PIXELS; j++) {
        x[i * PIXELS + j] = DataResources.integer(label, line, j, cells[j], 0, MAX_INTENSITY) / (float) MAX_INTENSITY;
      }
      y[i] = DataResources.integer(label, line, PIXELS, cells[PIXELS], 0, CLASSES - 1);
    }
    return new LabeledData(Tensors.of(x, n, PIXELS), Tensors.ofLongs(y, n), CLASSES);
  }
}
