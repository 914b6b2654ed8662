package org.incipit.models.report;

import java.util.List;
import java.util.Map;

/**
 * The {@code index.html} of a report: one self-contained page (inline CSS and SVG, no scripts, no
 * external assets) that reads on a phone and prints cleanly. All text is escaped; only the SVG of
 * figures is inserted as markup.
 */
public final class Html {
  private static final String CSS = """
      :root { --fg: #1b1b1b; --muted: #5f6368; --rule: #d0d0d0;
        --ok: #0b6b3a; --ok-bg: #e6f4ea; --bad: #a50e0e; --bad-bg: #fce8e6; --none-bg: #f1f3f4; }
      * { box-sizing: border-box; }
      html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
      body { margin: 0; color: var(--fg); background: #fff;
        font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
      main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; }
      code, .study, dd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
      .study { margin: 0; color: var(--muted); font-size: .85rem; }
      h1 { font-size: 1.6rem; line-height: 1.25; margin: .25rem 0 .5rem; }
      h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid var(--rule); }
      h3 { font-size: 1rem; margin: 0 0 .25rem; }
      .citation { margin: 0; color: var(--muted); }
      .verdict { margin: 1.25rem 0; padding: .75rem 1rem; border: 2px solid var(--rule); border-radius: 6px;
        background: var(--none-bg); print-color-adjust: exact; -webkit-print-color-adjust: exact; }
      .verdict p { margin: 0; white-space: pre-line; }
      .verdict .word { font-weight: 700; text-transform: uppercase; letter-spacing: .03em; }
      .verdict.ok { border-color: var(--ok); background: var(--ok-bg); }
      .verdict.ok .word { color: var(--ok); }
      .verdict.bad { border-color: var(--bad); background: var(--bad-bg); }
      .verdict.bad .word { color: var(--bad); }
      blockquote { margin: 0; padding: .25rem 1rem; border-left: 4px solid var(--rule); white-space: pre-line; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.25rem; margin: 0; }
      dt { font-weight: 600; }
      dd { margin: 0; overflow-wrap: anywhere; }
      .scroll { overflow-x: auto; margin: .5rem 0 1.25rem; }
      table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
      caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: .25rem; }
      th, td { padding: .3rem .7rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--rule); }
      th { border-bottom: 2px solid var(--fg); }
      .num { text-align: right; white-space: nowrap; }
      figure { margin: 1rem 0 2rem; }
      figure svg { display: block; width: 100%; max-width: 720px; height: auto; }
      figcaption { color: var(--muted); font-size: .9rem; }
      .notes li { white-space: pre-line; margin-bottom: .4rem; }
      footer { margin-top: 3rem; padding-top: .5rem; border-top: 1px solid var(--rule);
        color: var(--muted); font-size: .85rem; }
      @media (max-width: 40rem) {
        body { font-size: 15px; }
        main { padding: .75rem .75rem 1.5rem; }
        h1 { font-size: 1.35rem; }
        th, td { padding: .25rem .45rem; }
      }
      @media print {
        body { font-size: 11pt; }
        main { max-width: none; padding: 0; }
        a { color: inherit; text-decoration: none; }
        a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .85em; }
        .scroll { overflow: visible; }
        figure, table, .verdict { break-inside: avoid; }
        h2, h3 { break-after: avoid; }
      }
      """;

  private Html() {}

  /** Escapes text for HTML and XML content and double- or single-quoted attribute values. */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static String page(Report r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"incipit study\">\n")
        .append("<title>").append(escape(r.title())).append(" · incipit study ").append(escape(r.name()))
        .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
    header(h, r);
    verdict(h, r.verdict());
    h.append("<section id=\"claim\">\n<h2>Claim</h2>\n<blockquote>").append(escape(r.claim()))
        .append("</blockquote>\n</section>\n");
    setup(h, r.setup());
    if (!r.tables().isEmpty()) {
      h.append("<section id=\"results\">\n<h2>Results</h2>\n");
      r.tables().forEach(t -> table(h, t));
      h.append("</section>\n");
    }
    if (!r.figures().isEmpty()) {
      h.append("<section id=\"figures\">\n<h2>Figures</h2>\n");
      List<Figure> figures = r.figures();
      for (int i = 0; i < figures.size(); i++) {
        figure(h, figures.get(i), i + 1);
      }
      h.append("</section>\n");
    }
    if (!r.initialization().isEmpty()) {
      h.append("<section id=\"initialization\">\n<h2>Initialization</h2>\n");
      r.initialization().forEach(t -> table(h, t));
      h.append("</section>\n");
    }
    if (!r.notes().isEmpty()) {
      h.append("<section id=\"notes\">\n<h2>Notes</h2>\n<ul class=\"notes\">\n");
      r.notes().forEach(n -> h.append("<li>").append(escape(n)).append("</li>\n"));
      h.append("</ul>\n</section>\n");
    }
    h.append("<footer>Written by <code>incipit study ").append(escape(r.name()))
        .append("</code>. Machine-readable results: <a href=\"results.json\">results.json</a>.</footer>\n")
        .append("</main>\n</body>\n</html>\n");
    return h.toString();
  }

  /**
   * A page that is not a study (an {@code incipit inspect} report): the same style, a title, an
   * introduction, tables, figures, and tables after the figures.
   */
  public static String page(String kicker, String title, String intro, List<Table> tables, List<Figure> figures,
                            List<Table> after, String footer) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(CSS)
        .append("</style>\n</head>\n<body>\n<main>\n<header>\n<p class=\"study\">").append(escape(kicker))
        .append("</p>\n<h1>").append(escape(title)).append("</h1>\n</header>\n<p>").append(escape(intro))
        .append("</p>\n");
    tables.forEach(t -> table(h, t));
    for (int i = 0; i < figures.size(); i++) {
      figure(h, figures.get(i), i + 1);
    }
    after.forEach(t -> table(h, t));
    h.append("<footer>").append(escape(footer)).append("</footer>\n</main>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void header(StringBuilder h, Report r) {
    Citation p = r.paper();
    h.append("<header>\n<p class=\"study\">incipit study ").append(escape(r.name())).append("</p>\n")
        .append("<h1>").append(escape(r.title())).append("</h1>\n")
        .append("<p class=\"citation\">").append(escape(p.authors())).append(" (").append(p.year())
        .append("). <cite>").append(escape(p.title())).append("</cite>.");
    if (p.url() != null) {
      h.append(" <a href=\"").append(escape(p.url())).append("\">arXiv:").append(escape(p.arxivId()))
          .append("</a>");
    }
    h.append("</p>\n</header>\n");
  }

  private static void verdict(StringBuilder h, Verdict v) {
    String kind = v == null ? "none" : v.reproduced() ? "ok" : "bad";
    h.append("<section id=\"verdict\" class=\"verdict ").append(kind).append("\">\n<p>");
    if (v == null) {
      h.append("<span class=\"word\">no verdict</span>: the run did not reach one.");
    } else {
      h.append(v.reproduced() ? "✓ " : "✗ ").append("<span class=\"word\">").append(v.word())
          .append("</span>: ").append(escape(v.summary()));
    }
    h.append("</p>\n</section>\n");
  }

  private static void setup(StringBuilder h, Map<String, String> setup) {
    if (setup.isEmpty()) {
      return;
    }
    h.append("<section id=\"setup\">\n<h2>Setup</h2>\n<dl>\n");
    setup.forEach((k, v) ->
        h.append("<dt>").append(escape(k)).append("</dt><dd>").append(escape(v)).append("</dd>\n"));
    h.append("</dl>\n</section>\n");
  }

  private static void table(StringBuilder h, Table t) {
    int n = t.columns().size();
    boolean[] numeric = new boolean[n];
    h.append("<div class=\"scroll\">\n<table>\n");
    if (!t.title().isEmpty()) {
      h.append("<caption>").append(escape(t.title())).append("</caption>\n");
    }
    h.append("<thead><tr>");
    for (int c = 0; c < n; c++) {
      numeric[c] = t.numeric(c);
      h.append(numeric[c] ? "<th class=\"num\">" : "<th>").append(escape(t.columns().get(c))).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (List<Object> row : t.rows()) {
      h.append("<tr>");
      for (int c = 0; c < n; c++) {
        h.append(numeric[c] ? "<td class=\"num\">" : "<td>").append(escape(Table.format(row.get(c))))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n</div>\n");
  }

  private static void figure(StringBuilder h, Figure f, int number) {
    h.append("<figure id=\"figure-").append(number).append("\">\n<h3>").append(escape(f.title()))
        .append("</h3>\n").append(Svg.prefixIds(f.svg(), "f" + number + "-")).append('\n');
    if (!f.caption().isEmpty()) {
      h.append("<figcaption>").append(escape(f.caption())).append("</figcaption>\n");
    }
    h.append("</figure>\n");
  }
}
