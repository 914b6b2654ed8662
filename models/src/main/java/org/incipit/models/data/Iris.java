package org.incipit.models.data;

import java.util.List;
import org.incipit.autograd.Tensors;

/**
 * Fisher's iris measurements (1936): 150 flowers, 4 features, 3 species of 50 each.
 *
 * <p>Source: scikit-learn's {@code sklearn/datasets/data/iris.csv} (gzipped here; licence and
 * provenance in {@code DATA-LICENSES.md}). scikit-learn's description says the values are taken
 * from Fisher's paper and match R's {@code iris}, not the UCI copy, which has two wrong data points.
 * The first line is a header {@code 150,4,setosa,versicolor,virginica} (rows, features, class
 * names); then one flower per line: sepal length, sepal width, petal length, petal width (cm), and
 * the class id.
 *
 * <p>{@link #load()} returns the raw measurements in centimetres, not standardised: standardise
 * with {@link Split#standardized()}, which uses statistics of the training split only.
 *
 * <pre>
 * Split s = Split.stratified(Iris.load(), 0.2, rng.fork("split")).standardized();
 * </pre>
 */
public final class Iris {
  /** The resource under {@code data/} on the classpath. */
  public static final String RESOURCE = "iris.csv.gz";
  /** Class names in class-id order. */
  public static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");
  /** Feature names in column order (all in cm). */
  public static final List<String> FEATURES = List.of("sepal length", "sepal width", "petal length", "petal width");

  private Iris() {}

  /** All 150 flowers in file order: features (150, 4) F32 in cm, labels (150) I64 in 0..2. */
  public static LabeledData load() {
    return parse("data/" + RESOURCE, DataResources.text(RESOURCE));
  }

  /** Parses the sklearn-format CSV: a header (rows, features, class names…), then the rows. */
  static LabeledData parse(String label, String csv) {
    int d = FEATURES.size();
    String[] header = DataResources.header(csv);
    if (header.length != 2 + SPECIES.size()
        || !List.of(header).subList(2, header.length).equals(SPECIES)
        || !header[1].strip().equals(Integer.toString(d))) {
      throw DataResources.malformed(label, 1, "is not the header 'N," + d + "," + String.join(",", SPECIES) + "'");
    }
    int n = DataResources.integer(label, 1, 0, header[0], 1, Integer.MAX_VALUE);
    List<DataResources.Row> rows = DataResources.csv(label, csv, 1, d + 1);
    if (rows.size() != n) {
      throw new IllegalStateException("dataset resource " + label + " has " + rows.size()
          + " rows but its header says " + n);
    }
    float[] x = new float[n * d]; // (N, 4) row-major
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      String[] cells = rows.get(i).cells();
      int line = rows.get(i).line();
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) DataResources.number(label, line, j, cells[j]);
      }
      y[i] = DataResources.integer(label, line, d, cells[d], 0, SPECIES.size() - 1);
    }
    return new LabeledData(Tensors.of(x, n, d), Tensors.ofLongs(y, n), SPECIES.size());
  }
}
