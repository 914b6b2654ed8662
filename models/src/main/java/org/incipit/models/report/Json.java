package org.incipit.models.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code results.json} side of a report: values to JSON trees, and the file's text. */
final class Json {
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

  private Json() {}

  /**
   * A copy of {@code value} as JSON: numbers, strings, booleans, enums, paths, primitive and
   * object arrays, iterables and maps (keys by {@code String.valueOf}), nested. Non-finite
   * floating-point numbers become the strings "NaN", "Infinity", "-Infinity".
   *
   * @param what names the value in the error message
   * @throws IllegalArgumentException for null or any other type
   */
  static JsonElement of(Object value, String what) {
    return of(value, what, false);
  }

  /** As {@link #of(Object, String)}; with {@code lenient}, any other object becomes its toString. */
  static JsonElement of(Object value, String what, boolean lenient) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    if (value instanceof Number n) {
      if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
        return new JsonPrimitive(Double.toString(n.doubleValue()));
      }
      return new JsonPrimitive(n);
    }
    if (value instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>
        || value instanceof Path) { // a Path is an Iterable of Paths: never recurse into one
      return new JsonPrimitive(value.toString());
    }
    if (lenient && !(value.getClass().isArray() || value instanceof Iterable<?> || value instanceof Map<?, ?>)) {
      return new JsonPrimitive(value.toString());
    }
    if (value.getClass().isArray()) {
      JsonArray a = new JsonArray();
      for (int i = 0, n = Array.getLength(value); i < n; i++) {
        a.add(of(Array.get(value, i), what + "[" + i + "]", lenient));
      }
      return a;
    }
    if (value instanceof Iterable<?> items) {
      JsonArray a = new JsonArray();
      int i = 0;
      for (Object item : items) {
        a.add(of(item, what + "[" + i++ + "]", lenient));
      }
      return a;
    }
    if (value instanceof Map<?, ?> map) {
      JsonObject o = new JsonObject();
      map.forEach((k, v) -> o.add(String.valueOf(k), of(v, what + "." + k, lenient)));
      return o;
    }
    throw new IllegalArgumentException(what + ": unsupported type " + value.getClass().getName()
        + " (use numbers, strings, booleans, arrays, lists or maps of them)");
  }

  /**
   * Display text of a setup value: numbers as given in their shortest form ({@code 0.01}, {@code
   * 1e-8}, not rounded like measurements), arrays as {@code [a, b]}, maps as {@code {k: v}}.
   */
  static String display(JsonElement e) {
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      return p.isNumber() ? shortest(p.getAsNumber()) : p.getAsString();
    }
    if (e.isJsonArray()) {
      List<String> items = new ArrayList<>();
      e.getAsJsonArray().forEach(item -> items.add(display(item)));
      return "[" + String.join(", ", items) + "]";
    }
    if (e.isJsonObject()) {
      List<String> items = new ArrayList<>();
      e.getAsJsonObject().entrySet().forEach(kv -> items.add(kv.getKey() + ": " + display(kv.getValue())));
      return "{" + String.join(", ", items) + "}";
    }
    return "null";
  }

  private static String shortest(Number n) {
    if (!(n instanceof Double || n instanceof Float)) {
      return n.toString();
    }
    BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    return exponent >= -4 && exponent < 7 ? d.toPlainString() : d.toString().replace("E+", "e").replace('E', 'e');
  }

  /** The text of {@code results.json} (see {@link Report} for its keys). */
  static String results(Report r, Map<String, JsonElement> setup, Map<String, JsonElement> measurements) {
    JsonObject o = new JsonObject();
    o.addProperty("format", Report.FORMAT);
    o.addProperty("study", r.name());
    o.addProperty("title", r.title());
    JsonObject paper = new JsonObject();
    paper.addProperty("authors", r.paper().authors());
    paper.addProperty("year", r.paper().year());
    paper.addProperty("title", r.paper().title());
    paper.addProperty("arxiv", r.paper().arxivId());
    paper.addProperty("url", r.paper().url());
    o.add("paper", paper);
    o.addProperty("claim", r.claim());
    o.add("setup", copy(setup));
    Verdict v = r.verdict();
    o.add("reproduced", v == null ? JsonNull.INSTANCE : new JsonPrimitive(v.reproduced()));
    o.add("verdict", v == null ? JsonNull.INSTANCE : new JsonPrimitive(v.summary()));
    o.add("tables", tables(r.tables()));
    o.add("initialization", tables(r.initialization()));
    JsonArray figures = new JsonArray();
    for (Figure f : r.figures()) {
      JsonObject figure = new JsonObject();
      figure.addProperty("title", f.title());
      figure.addProperty("caption", f.caption());
      figures.add(figure);
    }
    o.add("figures", figures);
    o.add("notes", of(r.notes(), "notes"));
    o.add("measurements", copy(measurements));
    return GSON.toJson(o) + "\n";
  }

  private static JsonArray tables(List<Table> list) {
    JsonArray tables = new JsonArray();
    for (Table t : list) {
      JsonObject table = new JsonObject();
      table.addProperty("title", t.title());
      table.add("columns", of(t.columns(), "columns"));
      table.add("rows", of(t.rows(), "table '" + t.title() + "'"));
      tables.add(table);
    }
    return tables;
  }

  private static JsonObject copy(Map<String, JsonElement> map) {
    JsonObject o = new JsonObject();
    map.forEach((k, v) -> o.add(k, v.deepCopy()));
    return o;
  }
}
