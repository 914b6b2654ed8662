package org.incipit.nn.io;

import static org.incipit.nn.io.TestFiles.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Sequential;
import org.incipit.nn.io.SafetensorsFile.Entry;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer: the reference layout byte for byte, stored-type conversion, and atomic replacement. */
class SafetensorsWriteTest {
  @TempDir
  Path dir;

  /** Length, header padded with spaces to a multiple of 8, data: the format as the reference writes it. */
  private static byte[] expected(String json, byte[] data) {
    String padded = json + " ".repeat((8 - json.length() % 8) % 8);
    return TestFiles.file(padded, data);
  }

  private static SafetensorsFile file(Map<String, String> metadata, Entry... entries) {
    return new SafetensorsFile(List.of(entries), metadata);
  }

  private List<Path> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void layoutMatchesTheReferenceWriterByteForByte() throws IOException {
    Path p = dir.resolve("a.safetensors");
    Safetensors.write(p, Map.of("attn.0", Tensors.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), Map.of());
    String json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
    assertEquals(64, json.length(), "a multiple of 8 already: no padding");
    assertArrayEquals(expected(json, floats(0, 1, 2, 3, 4, 5)), Files.readAllBytes(p));

    Safetensors.write(p, Map.of("attn0", Tensors.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3)), Map.of());
    String json2 = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
    byte[] got = Files.readAllBytes(p);
    assertArrayEquals(expected(json2, floats(0, 1, 2, 3, 4, 5)), got);
    assertEquals(72, ByteBuffer.wrap(got).order(ByteOrder.LITTLE_ENDIAN).getLong(), "65 bytes + 7 spaces");
  }

  @Test
  void emptyFilesAndMetadata() throws IOException {
    Path p = dir.resolve("e.safetensors");
    Safetensors.write(p, Map.of(), Map.of());
    assertArrayEquals(expected("{}", new byte[0]), Files.readAllBytes(p));
    Safetensors.write(p, Map.of(), Map.of("framework", "pt"));
    assertArrayEquals(expected("{\"__metadata__\":{\"framework\":\"pt\"}}", new byte[0]), Files.readAllBytes(p));
  }

  @Test
  void tensorsAreLaidOutByDescendingAlignmentThenNameWithMetadataFirst() throws IOException {
    Tensor f = Tensors.of(new float[] {1, 2, 3}, 3);
    Tensor i = Tensors.of(DType.I32, new double[] {1, 2, 3}, 3);
    SafetensorsFile content = file(Map.of("z", "1", "a", "2", "é", "3"),
        Entry.of("b", f), new Entry("h", StoredDType.F16, f), new Entry("c", StoredDType.U8, i),
        Entry.of("z", f.cast(DType.F64)), Entry.of("y", Tensors.ofLongs(new long[] {5}, 1)),
        Entry.of("m", Tensors.ofBooleans(new boolean[] {true, false, true}, 3)),
        Entry.of("é", f), Entry.of("e", f), new Entry("bf", StoredDType.BF16, f), new Entry("s", StoredDType.I16, i));
    Path p = dir.resolve("o.safetensors");
    Safetensors.write(p, content);
    byte[] bytes = Files.readAllBytes(p);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) n, StandardCharsets.UTF_8)).getAsJsonObject();
    // I64 > F64 > F32 > BF16 > F16 > I16 > U8 > BOOL (the reference's dtype order, reversed); names by UTF-8 bytes
    assertEquals(List.of("__metadata__", "y", "z", "b", "e", "é", "bf", "h", "s", "c", "m"), List.copyOf(header.keySet()));
    assertEquals(List.of("a", "z", "é"), List.copyOf(header.getAsJsonObject("__metadata__").keySet()));
    for (String name : header.keySet()) {
      if (!name.equals("__metadata__")) {
        long begin = header.getAsJsonObject(name).getAsJsonArray("data_offsets").get(0).getAsLong();
        int size = StoredDType.valueOf(header.getAsJsonObject(name).get("dtype").getAsString()).bytes();
        assertEquals(0, (8 + n + begin) % size, name + " starts aligned to its element size");
      }
    }
    assertEquals(0, n % 8);
  }

  @Test
  void storedTypesConvertAsDocumented() throws IOException {
    float[] v = {1f + 0x1p-11f, 65504f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, 1e-8f, 0.1f};
    Tensor f = Tensors.of(v, v.length);
    Tensor big = Tensors.ofLongs(new long[] {0, 255, 4294967295L, Long.MAX_VALUE}, 4);
    Path p = dir.resolve("c.safetensors");
    Safetensors.write(p, file(Map.of(), new Entry("h", StoredDType.F16, f), new Entry("b", StoredDType.BF16, f.cast(DType.F64)),
        new Entry("u", StoredDType.U64, big), new Entry("u8", StoredDType.U8, big.slice(0, 0, 2)),
        new Entry("t", StoredDType.F32, Tensors.of(DType.F64, new double[] {0.1}, 1))));
    Map<String, Tensor> back = Safetensors.load(p);
    float[] h = back.get("h").toFloats();
    assertEquals(1f, h[0], "tie to even");
    assertEquals(65504f, h[1]);
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(h[2]));
    assertTrue(Float.isNaN(h[3]));
    assertEquals(Float.NEGATIVE_INFINITY, h[4]);
    assertEquals(0f, h[5], "1e-8 is below half the smallest subnormal (2.98e-8): rounds to 0");
    assertEquals(HalfFloats.f16ToFloat(0x2E66), h[6], "0.1 → 0.0999755859375");
    assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(0.1f)), back.get("b").toFloats()[6]);
    assertArrayEquals(new long[] {0, 255, 4294967295L, Long.MAX_VALUE}, back.get("u").toLongs());
    assertEquals(DType.I32, back.get("u8").dtype());
    assertEquals(0.1f, back.get("t").toFloats()[0]);
  }

  @Test
  void valuesThatDoNotFitNameTensorValueAndElement() {
    record Bad(Entry entry, String message) {}
    List<Bad> cases = List.of(
        new Bad(new Entry("h", StoredDType.F16, Tensors.of(new float[] {1, 70000}, 2)),
            "tensor 'h': value 70000.0 at element 1 is too large for F16 (largest finite 65504)"),
        new Bad(new Entry("b", StoredDType.BF16, Tensors.of(new float[] {Float.MAX_VALUE}, 1)), "too large for BF16"),
        new Bad(new Entry("f", StoredDType.F32, Tensors.of(DType.F64, new double[] {1e300}, 1)), "too large for F32"),
        new Bad(new Entry("u", StoredDType.U8, Tensors.of(DType.I32, new double[] {3, 300}, 2)),
            "tensor 'u': value 300 at element 1 is out of range for U8 [0, 255]"),
        new Bad(new Entry("i", StoredDType.I8, Tensors.ofLongs(new long[] {-129}, 1)), "out of range for I8 [-128, 127]"),
        new Bad(new Entry("q", StoredDType.U64, Tensors.ofLongs(new long[] {-1}, 1)), "out of range for U64 [0, 2^64-1]"),
        new Bad(new Entry("k", StoredDType.I32, Tensors.ofLongs(new long[] {1L << 31}, 1)), "out of range for I32"));
    for (Bad c : cases) {
      Path p = dir.resolve(c.entry().name() + ".safetensors");
      SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.write(p, file(Map.of(), c.entry())));
      assertTrue(e.getMessage().startsWith(p + ": ") && e.getMessage().contains(c.message()), e.getMessage());
      assertTrue(Files.notExists(p));
    }
  }

  @Test
  void aWriteFailingMidwayLeavesThePreviousFileByteIdenticalAndNoTempFile() throws IOException {
    Path p = dir.resolve("model.safetensors");
    Safetensors.write(p, Map.of("w", Tensors.of(new float[] {1, 2}, 2)), Map.of("step", "1"));
    byte[] before = Files.readAllBytes(p);
    // "a" (F32, 400 KB: several chunks) is written first; "z" (F16) comes later and fails at its last element
    float[] many = new float[100_000];
    float[] bad = {1, 2, 1e6f};
    SafetensorsFile failing = file(Map.of("step", "2"), Entry.of("a", Tensors.of(many, many.length)),
        new Entry("z", StoredDType.F16, Tensors.of(bad, bad.length)));
    assertThrows(SafetensorsException.class, () -> Safetensors.write(p, failing));
    assertArrayEquals(before, Files.readAllBytes(p));
    assertEquals(List.of(p), listing(), "no temporary file is left behind");
  }

  @Test
  void aTargetThatCannotBeReplacedFailsAndCleansUp() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub.safetensors"));
    Files.writeString(sub.resolve("keep"), "x");
    Map<String, Tensor> t = Map.of("w", Tensors.of(new float[] {1}, 1));
    assertThrows(IOException.class, () -> Safetensors.write(sub, t, Map.of()));
    assertEquals(List.of(sub), listing());
    assertEquals("x", Files.readString(sub.resolve("keep")));
    assertThrows(NoSuchFileException.class, () -> Safetensors.write(dir.resolve("missing/x.safetensors"), t, Map.of()));
    assertEquals(List.of(sub), listing());
  }

  @Test
  void writeReplacesAnExistingFileWithDefaultPermissions() throws IOException {
    Path p = dir.resolve("r.safetensors");
    Safetensors.write(p, Map.of("w", Tensors.of(new float[] {1}, 1)), Map.of());
    Safetensors.write(p, Map.of("v", Tensors.of(new float[] {2, 3}, 2)), Map.of());
    assertEquals(List.of("v"), List.copyOf(Safetensors.load(p).keySet()));
    Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path plain = Files.createFile(dir.resolve("plain"));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(p), "umask, not a temp file's 0600");
  }

  @Test
  void invalidEntriesAreRejectedBeforeAnyFileIsTouched() {
    Tensor longs = Tensors.ofLongs(new long[] {1}, 1);
    Tensor f = Tensors.of(new float[] {1}, 1);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Entry("w", StoredDType.F16, longs))
        .getMessage().contains("tensor 'w' is I64 and cannot be stored as F16"));
    assertThrows(IllegalArgumentException.class, () -> new Entry("w", StoredDType.I32, f));
    assertThrows(IllegalArgumentException.class, () -> new Entry("w", StoredDType.BOOL, longs));
    assertThrows(IllegalArgumentException.class, () -> Entry.of("__metadata__", f));
    assertThrows(IllegalArgumentException.class, () -> Entry.of("bad\uD800", f));
    assertThrows(IllegalArgumentException.class, () -> file(Map.of(), Entry.of("w", f), Entry.of("w", f)));
    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("k", null);
    assertThrows(NullPointerException.class, () -> file(nullValue));
  }

  @Test
  void viewsAreWrittenRowMajor() throws IOException {
    Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1); // (3, 2) view
    Path p = dir.resolve("v.safetensors");
    Safetensors.write(p, Map.of("x", x), Map.of());
    Tensor back = Safetensors.load(p).get("x");
    assertArrayEquals(new int[] {3, 2}, back.shape().dims());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.toFloats());
  }

  @Test
  void aModuleStateSavesAndLoadsIntoAnotherModule() throws IOException {
    Sequential a = new Sequential(new Linear(3, 4, Rng.seeded(1)), new Linear(4, 2, Rng.seeded(2)));
    Sequential b = new Sequential(new Linear(3, 4, Rng.seeded(3)), new Linear(4, 2, Rng.seeded(4)));
    Path p = dir.resolve("m.safetensors");
    Safetensors.save(p, a, Map.of("format", "pt"));
    Safetensors.loadInto(b, p);
    a.stateDict().forEach((name, t) -> assertArrayEquals(t.toFloats(), b.stateDict().get(name).toFloats(), name));
    Sequential wrong = new Sequential(new Linear(3, 5, Rng.seeded(5)));
    assertThrows(IllegalArgumentException.class, () -> Safetensors.loadInto(wrong, p));
  }
}
