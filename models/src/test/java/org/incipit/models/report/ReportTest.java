package org.incipit.models.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  private static final String CLAIM = "Activation variance stays constant across layers with Xavier init.";

  private static Report report() {
    Report r = new Report("glorot2010", "Xavier keeps activations alive",
        new Citation("X. Glorot, Y. Bengio", 2010,
            "Understanding the difficulty of training deep feedforward neural networks", null),
        CLAIM);
    r.setup("budget", "smoke");
    r.setup("seed", 42);
    r.setup("widths", new int[] {784, 256, 10});
    r.setup("lr", 0.01);
    r.add(new Table("Last-layer variance", List.of("init", "depth", "variance"),
        List.of(List.of("xavier", 5, 0.91344), List.of("standard", 5, 3.1e-4))));
    Map<String, double[]> variances = new LinkedHashMap<>();
    variances.put("xavier", new double[] {1.0, 0.98, 0.95});
    variances.put("standard", new double[] {1.0, 0.3, 0.09});
    r.add(new Figure("Activation variance per layer",
        Plots.layerProfile("Activation variance per layer", "activation variance", variances),
        "Flat lines keep the signal."));
    r.add(new Figure("Training loss", Plots.lines("Training loss", Plots.Axes.logY("step", "loss"),
        List.of(Plots.Series.of("xavier", new double[] {2.3, 1.1, 0.4, 0.2})))));
    r.measure("final_loss", 0.2);
    r.measure("activation_variance", variances);
    r.verdict(new Verdict(true, "last-layer variance 0.9134 with Xavier vs 3.100e-04 with standard"));
    return r;
  }

  @Test
  void indexHtmlHasClaimCellsOneSvgPerFigureAndTheVerdict(@TempDir Path dir) throws IOException {
    Path page = report().writeTo(dir);
    assertEquals(dir.resolve("index.html"), page);
    String html = Files.readString(page);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains(CLAIM));
    for (String cell : List.of("<td>xavier</td>", "<td class=\"num\">0.9134</td>",
        "<td class=\"num\">3.100e-04</td>", "<td class=\"num\">5</td>", "<th class=\"num\">variance</th>")) {
      assertTrue(html.contains(cell), cell);
    }
    assertEquals(2, count(html, "<svg "), "one inline svg per figure");
    assertEquals(2, count(html, "</svg>"));
    assertTrue(html.contains("<span class=\"word\">reproduced</span>: last-layer variance 0.9134"));
    assertTrue(html.contains("class=\"verdict ok\""));
    assertTrue(html.contains("<figcaption>Flat lines keep the signal.</figcaption>"));
    assertTrue(html.contains("<dt>seed</dt><dd>42</dd>"));
    assertTrue(html.contains("<dt>widths</dt><dd>[784, 256, 10]</dd>"));
    assertTrue(html.contains("<dt>lr</dt><dd>0.01</dd>"));
    assertTrue(html.contains("<cite>Understanding the difficulty"));
    assertFalse(html.contains("arXiv:"), "Glorot & Bengio 2010 has no arXiv id: no link");
  }

  @Test
  void indexHtmlIsSelfContained(@TempDir Path dir) throws IOException {
    String html = Files.readString(report().writeTo(dir));
    assertFalse(html.contains("<script"), "no JavaScript");
    assertFalse(html.contains("<link"), "no external stylesheet");
    assertFalse(Pattern.compile("src=\"").matcher(html).find(), "no external images or scripts");
    assertFalse(html.contains("<?xml"), "svg prolog stripped");
    assertFalse(html.contains("<!DOCTYPE svg"), "svg doctype stripped");
    assertTrue(html.contains("<style>") && html.contains("@media print") && html.contains("max-width: 40rem"));
    assertTrue(html.contains("<meta name=\"viewport\""));
    assertEquals(2, count(html, "viewBox=\""), "every svg scales with its viewBox");
  }

  @Test
  void svgIdsAreUniqueAcrossFigures(@TempDir Path dir) throws IOException {
    String html = Files.readString(report().writeTo(dir));
    Matcher m = Pattern.compile("\\bid=\"([^\"]+)\"").matcher(html);
    List<String> ids = new ArrayList<>();
    while (m.find()) {
      ids.add(m.group(1));
    }
    assertTrue(ids.contains("f1-id1") && ids.contains("f2-id1"), ids.toString());
    assertEquals(ids.size(), ids.stream().distinct().count(), "duplicate ids: " + ids);
    assertTrue(html.contains("url(#f2-id1)"), "references follow the renamed ids");
  }

  @Test
  void resultsJsonParsesBackWithMeasurementsAndVerdict(@TempDir Path dir) throws IOException {
    report().writeTo(dir);
    JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
    assertEquals(List.of("format", "study", "title", "paper", "claim", "setup", "reproduced", "verdict",
        "tables", "initialization", "figures", "notes", "measurements"), new ArrayList<>(json.keySet()));
    assertEquals(Report.FORMAT, json.get("format").getAsString());
    assertEquals("glorot2010", json.get("study").getAsString());
    assertTrue(json.get("reproduced").getAsBoolean());
    assertTrue(json.get("verdict").getAsString().startsWith("last-layer variance"));
    assertEquals(2010, json.getAsJsonObject("paper").get("year").getAsInt());
    assertTrue(json.getAsJsonObject("paper").get("arxiv").isJsonNull());
    assertEquals(CLAIM, json.get("claim").getAsString());
    JsonObject setup = json.getAsJsonObject("setup");
    assertEquals(List.of("budget", "seed", "widths", "lr"), new ArrayList<>(setup.keySet()));
    assertEquals(42, setup.get("seed").getAsInt());
    assertEquals(256, setup.getAsJsonArray("widths").get(1).getAsInt());
    JsonObject m = json.getAsJsonObject("measurements");
    assertEquals(0.2, m.get("final_loss").getAsDouble());
    JsonArray standard = m.getAsJsonObject("activation_variance").getAsJsonArray("standard");
    assertEquals(0.09, standard.get(2).getAsDouble());
    JsonArray rows = json.getAsJsonArray("tables").get(0).getAsJsonObject().getAsJsonArray("rows");
    assertEquals(0.91344, rows.get(0).getAsJsonArray().get(2).getAsDouble(), "json keeps full precision");
    JsonObject figure = json.getAsJsonArray("figures").get(0).getAsJsonObject();
    assertEquals("Activation variance per layer", figure.get("title").getAsString());
    assertFalse(Files.readString(dir.resolve("results.json")).contains("<svg"), "no svg in json");
  }

  @Test
  void textIsEscapedEverywhere(@TempDir Path dir) throws IOException {
    Report r = new Report("x<y>", "A & B", new Citation("O'Brien <ob@x>", 2020, "T \"quoted\"", "2001.00001"),
        "claim <b>bold</b>");
    r.note("watch out: <script>alert('x')</script> & more");
    r.add(new Table("<caption>", List.of("<th>"), List.of(List.of("<td>"))));
    r.setup("<key>", "<value>");
    String html = Files.readString(r.writeTo(dir));
    assertTrue(html.contains("<li>watch out: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</li>"));
    assertFalse(html.contains("<script"));
    assertFalse(html.contains("<b>bold"));
    assertTrue(html.contains("claim &lt;b&gt;bold&lt;/b&gt;"));
    assertTrue(html.contains("<td>&lt;td&gt;</td>") && html.contains("<th>&lt;th&gt;</th>"));
    assertTrue(html.contains("<dt>&lt;key&gt;</dt><dd>&lt;value&gt;</dd>"));
    assertTrue(html.contains("O&#39;Brien &lt;ob@x&gt;") && html.contains("T &quot;quoted&quot;"));
    assertTrue(html.contains("<a href=\"https://arxiv.org/abs/2001.00001\">arXiv:2001.00001</a>"));
    JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
    assertEquals("watch out: <script>alert('x')</script> & more",
        json.getAsJsonArray("notes").get(0).getAsString(), "json keeps the text as it was");
  }

  @Test
  void aReportWithoutVerdictSaysSo(@TempDir Path dir) throws IOException {
    Report r = new Report("s", "t", new Citation("a", 2000, "p", "1"), "c");
    String html = Files.readString(r.writeTo(dir));
    assertTrue(html.contains("class=\"verdict none\"") && html.contains("no verdict"));
    JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
    assertTrue(json.get("reproduced").isJsonNull());
    assertTrue(json.get("verdict").isJsonNull());
  }

  @Test
  void notReproducedShowsTheWordAndTheNumbers(@TempDir Path dir) throws IOException {
    Report r = new Report("s", "t", new Citation("a", 2000, "p", null), "c");
    r.verdict(new Verdict(false, "variance ratio " + Table.format(0.0123) + ", claimed ≈ 1"));
    String html = Files.readString(r.writeTo(dir));
    assertTrue(html.contains("<span class=\"word\">not reproduced</span>: variance ratio 0.01230, claimed ≈ 1"));
    assertTrue(html.contains("class=\"verdict bad\""));
    assertFalse(JsonParser.parseString(Files.readString(dir.resolve("results.json")))
        .getAsJsonObject().get("reproduced").getAsBoolean());
  }

  @Test
  void nonFiniteMeasurementsAreStringsAndStrictJsonParses(@TempDir Path dir) throws IOException {
    Report r = new Report("s", "t", new Citation("a", 2000, "p", null), "c");
    r.measure("loss", new double[] {2.3, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
    r.measure("per_step", new double[][] {{1, 2}, {3, 4}});
    r.measure("ok", true);
    r.measure("loss", new double[] {1.5, Double.NaN}); // replaces, keeps its place
    r.writeTo(dir);
    String text = Files.readString(dir.resolve("results.json"));
    assertFalse(Pattern.compile(":\\s*NaN|\\[\\s*NaN|,\\s*NaN").matcher(text).find(), "no bare NaN literal");
    JsonReader strict = new JsonReader(new StringReader(text));
    strict.setStrictness(Strictness.STRICT);
    // JsonParser.parseReader would switch the reader to lenient; a TypeAdapter keeps it strict.
    JsonObject m = new Gson().getAdapter(JsonElement.class).read(strict)
        .getAsJsonObject().getAsJsonObject("measurements");
    assertEquals(List.of("loss", "per_step", "ok"), new ArrayList<>(m.keySet()));
    assertEquals(1.5, m.getAsJsonArray("loss").get(0).getAsDouble());
    assertTrue(Double.isNaN(Double.parseDouble(m.getAsJsonArray("loss").get(1).getAsString())));
    assertEquals(4, m.getAsJsonArray("per_step").get(1).getAsJsonArray().get(1).getAsInt());
  }

  @Test
  void measurementsAreCopiedAndUnsupportedTypesRejected() {
    Report r = new Report("s", "t", new Citation("a", 2000, "p", null), "c");
    double[] values = {1, 2};
    r.measure("v", values);
    values[0] = 99;
    JsonObject m = JsonParser.parseString(r.json()).getAsJsonObject().getAsJsonObject("measurements");
    assertEquals(1.0, m.getAsJsonArray("v").get(0).getAsDouble());
    assertThrows(IllegalArgumentException.class, () -> r.measure("bad", new Object()));
    assertThrows(IllegalArgumentException.class, () -> r.measure("null", null));
    assertThrows(IllegalArgumentException.class, () -> r.measure("nested null", Arrays.asList(1.0, null)));
  }

  @Test
  void setupTakesAnyObjectButMeasurementsOnlyData() {
    Report r = new Report("s", "t", new Citation("a", 2000, "p", null), "c");
    r.setup("out", Path.of("reports", "s"));
    r.setup("device", new Object() {
      @Override
      public String toString() {
        return "cpu (16 threads)";
      }
    });
    r.setup("schemes", List.of("xavier", "he"));
    assertEquals(Map.of("out", Path.of("reports", "s").toString(), "device", "cpu (16 threads)",
        "schemes", "[xavier, he]"), r.setup());
    r.measure("where", Path.of("a", "b"));
    assertThrows(IllegalArgumentException.class, () -> r.measure("device", new Object()));
  }

  @Test
  void writeToReplacesTheFilesAndLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
    Report r = report();
    r.writeTo(dir);
    String before = Files.readString(dir.resolve("index.html"));
    r.note("second phase done");
    r.writeTo(dir);
    String after = Files.readString(dir.resolve("index.html"));
    assertNotEquals(before, after);
    assertTrue(after.contains("second phase done"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("index.html", "results.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void writeToCreatesMissingDirectories(@TempDir Path dir) throws IOException {
    Path nested = dir.resolve("reports").resolve("glorot2010");
    report().writeTo(nested);
    assertTrue(Files.isRegularFile(nested.resolve("index.html")));
    assertTrue(Files.isRegularFile(nested.resolve("results.json")));
  }

  @Test
  void outputIsReproducible() {
    assertEquals(report().html(), report().html(), "same report, same bytes (no clock, no random ids)");
    assertEquals(report().json(), report().json());
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
