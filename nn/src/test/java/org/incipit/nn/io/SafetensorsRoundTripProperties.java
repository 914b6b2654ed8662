package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.incipit.nn.io.RandomEntries.Spec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Write-then-read returns every tensor with its stored type, shape and exact values, in the
 * reference layout (aligned, padded header); the same inputs give the same bytes in any order.
 */
class SafetensorsRoundTripProperties {
  private static Path dir;

  @BeforeAll
  static void createDir() throws IOException {
    dir = Files.createTempDirectory("safetensors-roundtrip");
  }

  @AfterAll
  static void deleteDir() throws IOException {
    Cleanup.delete(dir);
  }

  @Test
  void writeThenReadGivesBackEveryEntryExactly() {
    qt().withFixedSeed(4242L).withExamples(300).forAll(RandomEntries.specs(), RandomEntries.metadata())
        .checkAssert((specs, metadata) -> {
          try {
            roundTrip(specs, metadata);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static void roundTrip(List<Spec> specs, Map<String, String> metadata) throws IOException {
    Path p = dir.resolve("rt.safetensors");
    Safetensors.write(p, RandomEntries.file(specs, metadata));
    SafetensorsFile back = Safetensors.read(p);
    assertEquals(metadata, back.metadata());
    List<Spec> order = RandomEntries.layoutOrder(specs);
    assertEquals(order.size(), back.entries().size());
    for (int i = 0; i < order.size(); i++) {
      RandomEntries.assertHolds(order.get(i), back.entries().get(i));
    }
    // layout: header a multiple of 8 and padded with spaces; every tensor aligned to its element size
    byte[] bytes = Files.readAllBytes(p);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8);
    String text = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertEquals(text.strip(), text.substring(0, text.lastIndexOf('}') + 1));
    JsonObject header = JsonParser.parseString(text).getAsJsonObject();
    for (Spec s : specs) {
      long begin = header.getAsJsonObject(s.name()).getAsJsonArray("data_offsets").get(0).getAsLong();
      assertEquals(0, (8 + n + begin) % s.stored().bytes(), s.name() + " aligned");
    }
  }

  @Test
  void sameInputsGiveTheSameBytesWhateverTheOrder() {
    qt().withFixedSeed(4343L).withExamples(150).forAll(RandomEntries.specs(), RandomEntries.metadata())
        .checkAssert(SafetensorsRoundTripProperties::sameBytesWhateverTheOrder);
  }

  private static void sameBytesWhateverTheOrder(List<Spec> specs, Map<String, String> metadata) {
    byte[] once = RandomEntries.bytes(dir, specs, metadata);
    byte[] again = RandomEntries.bytes(dir, specs, metadata);
    List<Spec> reversed = new ArrayList<>(specs);
    Collections.reverse(reversed);
    List<String> keys = new ArrayList<>(metadata.keySet());
    Collections.reverse(keys);
    Map<String, String> reorderedMetadata = new LinkedHashMap<>();
    keys.forEach(k -> reorderedMetadata.put(k, metadata.get(k)));
    byte[] reordered = RandomEntries.bytes(dir, reversed, reorderedMetadata);
    assertArrayEquals(once, again);
    assertArrayEquals(once, reordered);
  }
}
