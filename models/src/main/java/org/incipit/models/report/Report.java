package org.incipit.models.report;

import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The report of one run of a reproduction study: the paper and its claim, the setup, results
 * tables, figures, free-text notes, named measurements and the verdict.
 *
 * <p>A report is a document that the study fills in as it runs (plain methods, no build step);
 * {@link #writeTo(Path)} may be called at any point, for example after each phase of a long run,
 * and rewrites both files. Until {@link #verdict(Verdict)} is called the page says "no verdict".
 * Not thread-safe.
 *
 * <pre>
 *   var report = new Report("glorot2010", "Xavier initialization keeps activations alive",
 *       new Citation("X. Glorot, Y. Bengio", 2010, "Understanding the difficulty ...", null),
 *       "With normalized initialization, activation variance stays roughly constant across layers.");
 *   report.setup("budget", "smoke");
 *   report.setup("seed", 42);
 *   report.add(table);
 *   report.add(new Figure("Activation variance per layer", Plots.layerProfile(...)));
 *   report.measure("activation_variance.xavier", perLayer);
 *   report.verdict(new Verdict(true, "..."));
 *   report.writeTo(Path.of("reports", report.name()));
 * </pre>
 *
 * <p><b>{@code results.json}</b> holds everything but the SVGs, keys in a fixed order: {@code
 * format} ({@value #FORMAT}), {@code study}, {@code title}, {@code paper} (authors, year, title,
 * arxiv, url), {@code claim}, {@code setup}, {@code reproduced} (true, false, or null without a
 * verdict), {@code verdict} (the sentence), {@code tables} (title, columns, rows), {@code
 * initialization} (one table per model: how each parameter was initialized), {@code figures}
 * (title, caption), {@code notes}, {@code measurements}. Setup and measurement keys keep their
 * insertion order. Non-finite numbers are written as the strings {@code "NaN"}, {@code
 * "Infinity"} and {@code "-Infinity"} (strict JSON has no such numbers; Java's {@code
 * Double.parseDouble} and Python's {@code float} read these strings back).
 */
public final class Report {
  /** The value of the {@code format} key of {@code results.json}; bumped on incompatible changes. */
  public static final String FORMAT = "incipit-study-report/1";
  private static final AtomicLong TEMP_COUNTER = new AtomicLong();

  private final String name;
  private final String title;
  private final Citation paper;
  private final String claim;
  private final Map<String, JsonElement> setup = new LinkedHashMap<>();
  private final List<Table> tables = new ArrayList<>();
  private final List<Table> initialization = new ArrayList<>();
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, JsonElement> measurements = new LinkedHashMap<>();
  private Verdict verdict;

  /**
   * @param name the study's name, as in {@code incipit study NAME}
   * @param title a one-line headline
   * @param paper the paper the study reproduces
   * @param claim the paper's claim, in a sentence or two
   */
  public Report(String name, String title, Citation paper, String claim) {
    this.name = requireText(name, "name");
    this.title = requireText(title, "title");
    this.paper = Objects.requireNonNull(paper, "paper");
    this.claim = requireText(claim, "claim");
  }

  private static String requireText(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("report " + what + " must not be blank");
    }
    return s;
  }

  /**
   * Sets one line of the setup (budget, seed, device, widths, steps, ...). A new key goes last; an
   * existing key keeps its place and gets the new value. Numbers, booleans, arrays, lists and maps
   * keep their JSON type (see {@link #measure}); any other object is written by its {@code
   * toString} (a device, a path). The page prints numbers as given, in their shortest form ({@code
   * 0.01}, {@code 1e-8}).
   */
  public void setup(String key, Object value) {
    setup.put(requireText(key, "setup key"), Json.of(value, "setup '" + key + "'", true));
  }

  /** Appends a results table. */
  public void add(Table table) {
    tables.add(Objects.requireNonNull(table, "table"));
  }

  /** Appends a figure. */
  /**
   * Records how {@code model} was initialized (its {@link org.incipit.nn.Module#initReport()} taken
   * right after construction): shown in its own section of the page and in results.json.
   */
  public void initialization(String model, org.incipit.nn.InitReport init) {
    initialization.add(InitTables.of(model, init));
  }

  /** The initialization tables, one per model the study built. */
  public List<Table> initialization() {
    return List.copyOf(initialization);
  }

  public void add(Figure figure) {
    figures.add(Objects.requireNonNull(figure, "figure"));
  }

  /** Appends a free-text note (a caveat, a deviation from the paper's setup, an observation). */
  public void note(String text) {
    notes.add(requireText(text, "note"));
  }

  /**
   * Records a named measurement for {@code results.json}: a number, string, boolean, a primitive
   * array ({@code double[]}, {@code float[]}, {@code int[]}, {@code long[]}), an array of those
   * ({@code double[][]}), a list, or a map with such values (e.g. scheme → per-layer variances);
   * strings, booleans and enums too.
   * The value is copied now. A name already measured keeps its place and gets the new value.
   *
   * @throws IllegalArgumentException for any other type, or null
   */
  public void measure(String name, Object value) {
    measurements.put(requireText(name, "measurement name"), Json.of(value, "measurement '" + name + "'"));
  }

  /** Sets (or replaces) the verdict. */
  public void verdict(Verdict verdict) {
    this.verdict = Objects.requireNonNull(verdict, "verdict");
  }

  /** The study's name. */
  public String name() {
    return name;
  }

  /** The headline. */
  public String title() {
    return title;
  }

  /** The paper. */
  public Citation paper() {
    return paper;
  }

  /** The paper's claim. */
  public String claim() {
    return claim;
  }

  /** The setup as display text, in order. */
  public Map<String, String> setup() {
    Map<String, String> text = new LinkedHashMap<>();
    setup.forEach((k, v) -> text.put(k, Json.display(v)));
    return Collections.unmodifiableMap(text);
  }

  /** The tables, in order (for printing in the terminal with {@link Table#render()}). */
  public List<Table> tables() {
    return Collections.unmodifiableList(tables);
  }

  /** The figures, in order. */
  public List<Figure> figures() {
    return Collections.unmodifiableList(figures);
  }

  /** The notes, in order. */
  public List<String> notes() {
    return Collections.unmodifiableList(notes);
  }

  /** The verdict, or null while there is none. */
  public Verdict verdict() {
    return verdict;
  }

  /** The text of {@code index.html}. */
  public String html() {
    return Html.page(this);
  }

  /** The text of {@code results.json}. */
  public String json() {
    return Json.results(this, setup, measurements);
  }

  /**
   * Writes {@code index.html} and {@code results.json} into {@code dir}, creating it if needed.
   * Each file is written to a temporary file in {@code dir} and renamed over the old one, so a
   * reader (or a crash) never sees a half-written file — on file systems with atomic rename; where
   * there is none, the rename falls back to a plain replace (a report is regenerated, not precious,
   * unlike a checkpoint, whose write fails instead).
   *
   * @return {@code dir.resolve("index.html")}
   */
  public Path writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    writeAtomically(dir.resolve("results.json"), json());
    Path page = dir.resolve("index.html");
    writeAtomically(page, html());
    return page;
  }

  /** Writes {@code text} to a temporary file beside {@code target} and renames it over {@code target}. */
  public static void writeAtomically(Path target, String text) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid()
        + "." + TEMP_COUNTER.incrementAndGet() + ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public String toString() {
    return "Report[" + name + ", " + tables.size() + " tables, " + figures.size() + " figures, "
        + (verdict == null ? "no verdict" : verdict.word()) + "]";
  }
}
