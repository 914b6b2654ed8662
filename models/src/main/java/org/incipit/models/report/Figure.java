package org.incipit.models.report;

import java.util.Objects;

/**
 * A figure of a report: a title, an SVG document (usually from {@link Plots}) and an optional
 * caption saying what to look for.
 *
 * <p>The SVG is inlined into {@code index.html} verbatim apart from its ids, which the report
 * prefixes per figure so that clip paths of different charts cannot collide; it must come from
 * trusted code such as {@link Plots}, never from user input. An XML prolog or doctype before the
 * {@code <svg} element is dropped here. It is not written to {@code results.json}.
 *
 * @param title shown above the figure
 * @param svg an SVG document whose root is {@code <svg ...>}
 * @param caption shown below the figure; may be empty
 */
public record Figure(String title, String svg, String caption) {
  public Figure {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(caption, "caption");
    svg = Svg.inlineable(svg);
  }

  /** A figure without a caption. */
  public Figure(String title, String svg) {
    this(title, svg, "");
  }
}
