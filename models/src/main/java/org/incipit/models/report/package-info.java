/**
 * The reporting toolkit of reproduction studies ({@code incipit study NAME}): a {@link
 * org.incipit.models.report.Report} (claim, setup, {@link org.incipit.models.report.Table}s,
 * {@link org.incipit.models.report.Figure}s, {@link org.incipit.models.report.Verdict}, notes and
 * measurements) written as a self-contained {@code index.html} plus {@code results.json};
 * {@link org.incipit.models.report.Plots} for SVG line charts (XChart, headless); and {@link
 * org.incipit.models.report.Progress} for training loops (a bar on a terminal, plain lines in CI
 * logs).
 *
 * <p>Depends on no model code: Gson, XChart with VectorGraphics2D, and progressbar only. Tables,
 * figures, verdicts and citations are immutable records; a {@code Report} is a document that a
 * study fills in as it runs and may write at any point.
 */
package org.incipit.models.report;
