package org.incipit.models.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text transforms that make an SVG document fit for inlining into HTML. */
final class Svg {
  private static final Pattern ROOT = Pattern.compile("<svg\\b[^>]*>");
  private static final Pattern ID = Pattern.compile("\\bid=\"([^\"]+)\"");
  private static final Pattern ID_USE = Pattern.compile("(\\bid=\"|url\\(#|href=\"#)([^\")]+)");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
  private static final Pattern LINE = Pattern.compile(
      "(\\s*)<line style=\"([^\"]*)\" x1=\"([^\"]*)\" x2=\"([^\"]*)\" y1=\"([^\"]*)\" y2=\"([^\"]*)\"/>");

  private Svg() {}

  /**
   * The document from its {@code <svg} element on (an XML prolog, doctype or comments before it
   * are dropped), with a {@code viewBox} taken from its width and height when it has none, so
   * that CSS can scale it.
   */
  static String inlineable(String svg) {
    int start = svg.indexOf("<svg");
    if (start < 0) {
      throw new IllegalArgumentException("not an SVG document (no <svg element)");
    }
    String s = svg.substring(start).strip();
    Matcher root = ROOT.matcher(s);
    if (!root.lookingAt()) {
      throw new IllegalArgumentException("not an SVG document (unterminated <svg element)");
    }
    String tag = root.group();
    if (tag.contains("viewBox=")) {
      return s;
    }
    String w = dimension(tag, "width");
    String h = dimension(tag, "height");
    if (w == null || h == null) {
      return s;
    }
    return "<svg viewBox=\"0 0 " + w + " " + h + "\"" + s.substring("<svg".length());
  }

  private static String dimension(String tag, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=\"([0-9.]+)(px)?\"").matcher(tag);
    return m.find() ? m.group(1) : null;
  }

  /** Rounds every decimal number to two places (sub-pixel digits only add bytes): 1.50 → 1.5. */
  static String roundNumbers(String svg) {
    return DECIMAL.matcher(svg).replaceAll(m -> {
      String r = new BigDecimal(m.group()).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros()
          .toPlainString();
      return r.equals("-0") ? "0" : r;
    });
  }

  /**
   * Joins runs of {@code <line>} elements that continue one another (the end of one is the start
   * of the next, same style, one per text line, as VectorGraphics2D writes XChart's series) into
   * one {@code <path>} each: a tenth of the bytes, and dash patterns run on along the curve
   * instead of restarting at every segment.
   */
  static String joinLines(String svg) {
    StringBuilder out = new StringBuilder(svg.length());
    String indent = null;
    String style = null;
    String end = null;
    StringBuilder d = new StringBuilder();
    for (String line : svg.split("\n", -1)) {
      Matcher m = LINE.matcher(line);
      boolean isLine = m.matches();
      String start = isLine ? m.group(3) + "," + m.group(5) : null;
      if (isLine && m.group(1).equals(indent) && m.group(2).equals(style) && start.equals(end)) {
        end = m.group(4) + "," + m.group(6);
        d.append(" L").append(end);
        continue;
      }
      if (style != null) {
        out.append(indent).append("<path style=\"").append(style).append("\" d=\"").append(d).append("\"/>\n");
        style = null;
      }
      if (isLine) {
        indent = m.group(1);
        style = m.group(2);
        end = m.group(4) + "," + m.group(6);
        d.setLength(0);
        d.append('M').append(start).append(" L").append(end);
      } else {
        out.append(line).append('\n');
      }
    }
    if (style != null) {
      out.append(indent).append("<path style=\"").append(style).append("\" d=\"").append(d).append("\"/>\n");
    }
    return out.substring(0, out.length() - 1);
  }

  /** Renames ids to {@code id1, id2, ...} in document order, so the output is reproducible. */
  static String renumberIds(String svg) {
    Map<String, String> names = new LinkedHashMap<>();
    Matcher m = ID.matcher(svg);
    while (m.find()) {
      names.putIfAbsent(m.group(1), "id" + (names.size() + 1));
    }
    return renameIds(svg, id -> names.getOrDefault(id, id));
  }

  /** Prefixes every id, and every reference to one, with {@code prefix}. */
  static String prefixIds(String svg, String prefix) {
    Map<String, String> names = new LinkedHashMap<>();
    Matcher m = ID.matcher(svg);
    while (m.find()) {
      names.putIfAbsent(m.group(1), prefix + m.group(1));
    }
    return renameIds(svg, id -> names.getOrDefault(id, id));
  }

  private static String renameIds(String svg, UnaryOperator<String> rename) {
    Matcher m = ID_USE.matcher(svg);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + rename.apply(r.group(2))));
  }

  /** Adds {@code <title>} and {@code <desc>} children (for screen readers and text search). */
  static String label(String svg, String title, String description) {
    Matcher root = ROOT.matcher(svg);
    if (!root.find()) {
      throw new IllegalArgumentException("not an SVG document (no <svg element)");
    }
    String tag = root.group().replaceFirst("^<svg", "<svg role=\"img\"");
    return tag + "\n  <title>" + Html.escape(title) + "</title>\n  <desc>" + Html.escape(description)
        + "</desc>" + svg.substring(root.end());
  }
}
