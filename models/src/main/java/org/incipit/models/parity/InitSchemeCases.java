package org.incipit.models.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.incipit.models.parity.ParityRunner.Result;

/**
 * Runs an {@code init_schemes} fixture file (values of deterministic surveyed schemes, see
 * {@code shared/fixtures/README.md}): each top-level section other than {@code kind} is a list of
 * cases, checked once on the host by the section's runner. A section without a runner is a failed
 * result that names it, never a silent skip.
 */
public final class InitSchemeCases {
  /** A section's runner: one case in, null when it passes, else what differs. */
  interface Section extends Function<JsonObject, String> {}

  // one section per line: name -> runner
  private static final Map<String, Section> SECTIONS = new TreeMap<>(Map.ofEntries(
      Map.entry("random_pruning_densities", PruningCases::randomPruningDensities),
      Map.entry("s4d_imag", S4DCases::imag),
      Map.entry("s4d_kernel", S4DCases::kernel)
  ));

  private InitSchemeCases() {}

  public static List<Result> run(String file, JsonObject root) {
    List<Result> out = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : root.entrySet()) {
      String section = e.getKey();
      if (section.equals("kind")) {
        continue;
      }
      Section runner = SECTIONS.get(section);
      if (runner == null || !e.getValue().isJsonArray()) {
        out.add(new Result(file, section, "host", "section '" + section + "' has no runner in parity (known: "
            + SECTIONS.keySet() + ")"));
        continue;
      }
      JsonArray cases = e.getValue().getAsJsonArray();
      for (int i = 0; i < cases.size(); i++) {
        JsonObject c = cases.get(i).getAsJsonObject();
        out.add(Result.of(file, section + "[" + i + "]" + (c.has("name") ? " " + c.get("name").getAsString() : ""),
            "host", () -> runner.apply(c)));
      }
    }
    return out;
  }
}
