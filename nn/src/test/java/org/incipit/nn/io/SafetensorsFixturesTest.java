package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.incipit.autograd.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared fixtures (../shared/fixtures/safetensors): every good_* file loads with exactly the
 * dtype, shape and values of its JSON twin; every bad_* file is rejected with our exception and a
 * message naming the file and the problem. Unknown files of either kind are checked too.
 */
class SafetensorsFixturesTest {
  /** A word our message must contain for each bad file whose problem bad.json describes. */
  private static final Map<String, String> KEYWORD = Map.of(
      "bad_truncated", "truncated",
      "bad_header_len", "header length",
      "bad_json", "not valid json",
      "bad_offsets", "data_offsets",
      "bad_dtype", "unknown dtype",
      "bad_overlap", "overlap",
      "bad_empty", "too short");

  @TestFactory
  Stream<DynamicTest> everyGoodFileLoadsExactlyItsJsonTwin() {
    Path dir = TestFiles.fixtures();
    return TestFiles.list(dir, "good_", ".safetensors").map(file -> DynamicTest.dynamicTest(
        file.getFileName().toString(), () -> {
          String stem = file.getFileName().toString().replace(".safetensors", "");
          Path twin = dir.resolve(stem + ".json");
          assertTrue(Files.exists(twin), "every good file has a JSON twin: " + twin);
          JsonObject want = JsonParser.parseString(Files.readString(twin)).getAsJsonObject();
          SafetensorsFile got = Safetensors.read(file);
          assertEquals(want.keySet(), got.entries().stream().map(SafetensorsFile.Entry::name).collect(Collectors.toSet()));
          for (SafetensorsFile.Entry e : got.entries()) {
            assertMatches(e, want.getAsJsonObject(e.name()));
          }
        }));
  }

  @TestFactory
  Stream<DynamicTest> everyBadFileIsRejectedWithAClearMessage() throws IOException {
    Path dir = TestFiles.fixtures();
    Path described = dir.resolve("bad.json");
    JsonObject why = Files.exists(described)
        ? JsonParser.parseString(Files.readString(described)).getAsJsonObject() : new JsonObject();
    return TestFiles.list(dir, "bad_", ".safetensors").map(file -> DynamicTest.dynamicTest(
        file.getFileName().toString(), () -> {
          String stem = file.getFileName().toString().replace(".safetensors", "");
          String description = why.has(stem) ? why.get(stem).getAsString() : "(not described in bad.json)";
          SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file),
              stem + " must be rejected: " + description);
          String message = e.getMessage();
          assertTrue(message.startsWith(file.toString() + ": "), "names the file: " + message);
          String keyword = KEYWORD.get(stem);
          if (keyword != null) {
            assertTrue(message.toLowerCase(Locale.ROOT).contains(keyword),
                "the message for " + stem + " (" + description + ") should say '" + keyword + "': " + message);
          }
        }));
  }

  @Test
  void everyDescribedBadFileExists() throws IOException {
    Path dir = TestFiles.fixtures();
    JsonObject why = JsonParser.parseString(Files.readString(dir.resolve("bad.json"))).getAsJsonObject();
    for (String stem : why.keySet()) {
      assertTrue(Files.exists(dir.resolve(stem + ".safetensors")), stem);
    }
  }

  @Test
  void goodFilesKeepTheirMetadataAndFileOrder() throws IOException {
    Path dir = TestFiles.fixtures();
    Path mlp = dir.resolve("good_mlp.safetensors");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(mlp), "good_mlp.safetensors is absent");
    SafetensorsFile f = Safetensors.read(mlp);
    assertEquals(Map.of("format", "pt"), f.metadata());
    assertEquals(java.util.List.of("fc1.weight", "fc1.bias", "fc2.weight", "step"),
        java.util.List.copyOf(Safetensors.load(mlp).keySet()));
  }

  @TestFactory
  Stream<DynamicTest> goodFilesSurviveAWriteAndReadWithTheirStoredTypes(@TempDir Path tmp) {
    Path dir = TestFiles.fixtures();
    return TestFiles.list(dir, "good_", ".safetensors").map(file -> DynamicTest.dynamicTest(
        file.getFileName().toString(), () -> {
          SafetensorsFile before = Safetensors.read(file);
          Path copy = tmp.resolve(file.getFileName());
          Safetensors.write(copy, before);
          SafetensorsFile after = Safetensors.read(copy);
          assertEquals(before.metadata(), after.metadata());
          Map<String, SafetensorsFile.Entry> byName = after.entries().stream()
              .collect(Collectors.toMap(SafetensorsFile.Entry::name, e -> e));
          assertEquals(before.entries().size(), byName.size());
          for (SafetensorsFile.Entry e : before.entries()) {
            SafetensorsFile.Entry a = byName.get(e.name());
            assertEquals(e.stored(), a.stored(), e.name());
            assertEquals(e.shape(), a.shape(), e.name());
            assertEquals(e.tensor().dtype(), a.tensor().dtype(), e.name());
            assertArrayEquals(e.tensor().toDoubles(), a.tensor().toDoubles(), 0.0, e.name());
          }
        }));
  }

  /** One tensor against its twin {"dtype", "shape", "data": [flat values]}. */
  private static void assertMatches(SafetensorsFile.Entry e, JsonObject want) {
    String name = e.name();
    assertEquals(want.get("dtype").getAsString(), e.stored().name(), name + ": stored dtype");
    JsonArray shape = want.getAsJsonArray("shape");
    int[] dims = new int[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).getAsInt();
    }
    assertArrayEquals(dims, e.shape().dims(), name + ": shape");
    Tensor t = e.tensor();
    assertEquals(e.stored().loadsAs(), t.dtype(), name + ": loaded dtype");
    JsonArray data = want.getAsJsonArray("data");
    assertEquals(data.size(), t.numel(), name + ": element count");
    if (t.dtype().isFloating()) {
      double[] got = t.toDoubles(); // an F32 value widens to double exactly
      for (int i = 0; i < got.length; i++) {
        double w = data.get(i).getAsDouble(); // exact: the twin holds the stored value itself
        assertEquals(0, Double.compare(w, got[i]), name + "[" + i + "]: want " + w + ", got " + got[i]);
      }
    } else {
      long[] got = t.toLongs();
      for (int i = 0; i < got.length; i++) {
        assertEquals(integer(data.get(i)), got[i], name + "[" + i + "]");
      }
    }
  }

  private static long integer(JsonElement v) {
    if (v.getAsJsonPrimitive().isBoolean()) {
      return v.getAsBoolean() ? 1 : 0;
    }
    double d = v.getAsDouble(); // integer twins may be written as 7.0
    assertFalse(d != Math.rint(d), "integer value in twin: " + v);
    return v.getAsBigDecimal().longValueExact();
  }
}
