package org.incipit.models.report;

import java.util.Objects;

/**
 * The paper a study reproduces.
 *
 * <pre>
 *   new Citation("X. Glorot, Y. Bengio", 2010,
 *       "Understanding the difficulty of training deep feedforward neural networks", null)
 * </pre>
 *
 * @param authors as they should be printed, e.g. {@code "K. He, X. Zhang, S. Ren, J. Sun"}
 * @param year publication year
 * @param title the paper's title
 * @param arxivId e.g. {@code "1502.01852"}; null or blank when the paper is not on arXiv (Glorot
 *     and Bengio 2010 is not)
 */
public record Citation(String authors, int year, String title, String arxivId) {
  public Citation {
    Objects.requireNonNull(authors, "authors");
    Objects.requireNonNull(title, "title");
    arxivId = arxivId == null || arxivId.isBlank() ? null : arxivId.strip();
  }

  /** The abstract page on arXiv, or null when the paper has no arXiv id. */
  public String url() {
    return arxivId == null ? null : "https://arxiv.org/abs/" + arxivId;
  }

  /** One line: {@code authors (year). title. arXiv:id.} */
  public String text() {
    return authors + " (" + year + "). " + title + "." + (arxivId == null ? "" : " arXiv:" + arxivId + ".");
  }
}
