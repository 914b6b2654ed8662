package org.incipit.models.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A results table: column names and rows of cells. A cell is a {@link Number}, a {@link
 * CharSequence} or a {@link Boolean}; numbers are printed by {@link #format(Object)} in the
 * terminal and in HTML, and kept as numbers in {@code results.json}.
 *
 * <pre>
 *   var t = new Table("Activation variance at the last layer",
 *       List.of("init", "depth", "variance"),
 *       List.of(List.of("xavier", 10, 0.913), List.of("standard", 10, 3.1e-4)));
 *   System.out.println(t.render());
 * </pre>
 *
 * @param title a caption; may be empty
 * @param columns the column names
 * @param rows each of {@code columns.size()} cells, none null
 */
public record Table(String title, List<String> columns, List<List<Object>> rows) {
  private static final String GAP = "  ";

  public Table {
    Objects.requireNonNull(title, "title");
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      List<Object> row = rows.get(r);
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException("table '" + title + "': row " + r + " has " + row.size()
            + " cells for " + columns.size() + " columns");
      }
      for (int c = 0; c < row.size(); c++) {
        Object cell = row.get(c);
        if (!(cell instanceof Number || cell instanceof CharSequence || cell instanceof Boolean)) {
          throw new IllegalArgumentException("table '" + title + "': cell (" + r + ", " + c + ") is "
              + (cell == null ? "null" : "a " + cell.getClass().getName())
              + "; use a Number, a String or a Boolean");
        }
      }
      copy.add(List.copyOf(row));
    }
    rows = List.copyOf(copy);
  }

  /**
   * The text of a cell. Integers (Integer, Long, Short, Byte, BigInteger) print exactly; other
   * numbers with 4 significant digits, in plain notation for magnitudes in [1e-3, 1e4) ({@code
   * 2.314}, {@code 0.003162}, {@code 1.000}) and scientific otherwise ({@code 3.100e-04}); zero is
   * {@code 0}, non-finite values {@code NaN}, {@code inf}, {@code -inf}. Other cells print with
   * {@code toString}. Use it for the numbers of verdict sentences too, so they match the tables.
   */
  public static String format(Object cell) {
    if (cell instanceof Integer || cell instanceof Long || cell instanceof Short
        || cell instanceof Byte || cell instanceof BigInteger) {
      return cell.toString();
    }
    if (!(cell instanceof Number n)) {
      return String.valueOf(cell);
    }
    double x = n.doubleValue();
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return "0";
    }
    BigDecimal rounded = new BigDecimal(x).round(new MathContext(4, RoundingMode.HALF_UP));
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent < -3 || exponent >= 4) {
      return String.format(Locale.ROOT, "%.3e", rounded.doubleValue());
    }
    return rounded.setScale(3 - exponent, RoundingMode.HALF_UP).toPlainString();
  }

  /** Whether every cell of column {@code c} is a number (such columns are right-aligned). */
  public boolean numeric(int c) {
    return !rows.isEmpty() && rows.stream().allMatch(row -> row.get(c) instanceof Number);
  }

  /**
   * A plain-text table for the terminal: the title (when not empty), the header, a rule of dashes
   * and the rows; columns are separated by two spaces, numeric columns right-aligned and text
   * columns left-aligned. Every line has the same width before trailing spaces are cut.
   */
  public String render() {
    int n = columns.size();
    int[] width = new int[n];
    boolean[] right = new boolean[n];
    for (int c = 0; c < n; c++) {
      width[c] = length(columns.get(c));
      right[c] = numeric(c);
      for (List<Object> row : rows) {
        width[c] = Math.max(width[c], length(format(row.get(c))));
      }
    }
    StringBuilder sb = new StringBuilder();
    if (!title.isEmpty()) {
      sb.append(title).append('\n');
    }
    line(sb, columns, width, right);
    List<String> rule = new ArrayList<>(n);
    for (int c = 0; c < n; c++) {
      rule.add("-".repeat(width[c]));
    }
    line(sb, rule, width, right);
    for (List<Object> row : rows) {
      line(sb, row.stream().map(Table::format).toList(), width, right);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] right) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String text = cells.get(c).replace('\n', ' ');
      String pad = " ".repeat(width[c] - length(text));
      line.append(c == 0 ? "" : GAP).append(right[c] ? pad + text : text + pad);
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  /** Display length in code points (so σ² or √ count once). */
  private static int length(String s) {
    return s.replace('\n', ' ').codePointCount(0, s.length());
  }
}
