package org.incipit.models.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reading the gzipped dataset files shipped in {@code models/src/main/resources/data/} (see
 * {@code DATA-LICENSES.md} at the repository root). Every failure names the resource and says
 * what is wrong with it: missing from the classpath, not gzip, truncated, not UTF-8, or a
 * malformed CSV cell (with its line and column).
 */
final class DataResources {
  /** The classpath folder of the shipped datasets. */
  static final String FOLDER = "/data/";

  private DataResources() {}

  /** The decompressed bytes of {@code data/<name>} on the classpath. */
  static byte[] gunzip(String name) {
    String path = FOLDER + name;
    InputStream raw = DataResources.class.getResourceAsStream(path);
    if (raw == null) {
      throw new IllegalStateException("dataset resource " + path + " is not on the classpath: it ships in"
          + " models/src/main/resources" + path + " (see DATA-LICENSES.md)");
    }
    return gunzip(path, raw);
  }

  /** The decompressed bytes of the gzip stream {@code raw}, which is closed; {@code label} names it in errors. */
  static byte[] gunzip(String label, InputStream raw) {
    try (raw; InputStream in = new GZIPInputStream(raw)) {
      return in.readAllBytes();
    } catch (ZipException e) {
      throw new IllegalStateException("dataset resource " + label + " is not a valid gzip file: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new IllegalStateException("dataset resource " + label + " is truncated (unexpected end of the gzip stream)", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading dataset resource " + label + " failed: " + e.getMessage(), e);
    }
  }

  /** The text of {@code data/<name>}, gunzipped and decoded as strict UTF-8. */
  static String text(String name) {
    return utf8(FOLDER + name, gunzip(name));
  }

  /** {@code bytes} decoded as UTF-8; malformed input is an error, never replaced silently. */
  static String utf8(String label, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("dataset resource " + label + " is not valid UTF-8: " + e, e);
    }
  }

  /** One CSV line: its 1-based line number in the file (for error messages) and its cells. */
  record Row(int line, String[] cells) {}

  /**
   * The comma-separated cells of each non-blank line of {@code text} ("\n" or "\r\n" line ends)
   * after the first {@code skip} lines. Every row must have {@code columns} cells.
   */
  static List<Row> csv(String label, String text, int skip, int columns) {
    List<Row> rows = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = skip; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] cells = lines[i].split(",", -1);
      if (cells.length != columns) {
        throw malformed(label, i + 1, "has " + cells.length + " columns, expected " + columns);
      }
      rows.add(new Row(i + 1, cells));
    }
    if (rows.isEmpty()) {
      throw new IllegalStateException("dataset resource " + label + " has no data rows");
    }
    return rows;
  }

  /** The first line of {@code text} split at commas (a header). */
  static String[] header(String text) {
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).strip().split(",", -1);
  }

  /** Cell {@code column} (0-based) of line {@code line} as a finite number. */
  static double number(String label, int line, int column, String cell) {
    double v;
    try {
      v = Double.parseDouble(cell.strip());
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!Double.isFinite(v)) {
      throw malformed(label, line, "column " + (column + 1) + ": '" + cell + "' is not a finite number");
    }
    return v;
  }

  /** Cell {@code column} of line {@code line} as an integer in [lo, hi]. */
  static int integer(String label, int line, int column, String cell, int lo, int hi) {
    double v = number(label, line, column, cell);
    if (v != Math.rint(v) || v < lo || v > hi) {
      throw malformed(label, line, "column " + (column + 1) + ": '" + cell + "' is not an integer in ["
          + lo + ", " + hi + "]");
    }
    return (int) v;
  }

  static IllegalStateException malformed(String label, int line, String what) {
    return new IllegalStateException("dataset resource " + label + " is malformed: line " + line + " " + what);
  }
}
