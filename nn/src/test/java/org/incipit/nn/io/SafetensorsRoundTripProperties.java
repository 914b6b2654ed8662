package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
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
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.incipit.nn.io.RandomEntries.Spec;

/**
 * Write-then-read returns every tensor with its stored type, shape and exact values, in the
 * reference layout (aligned, padded header); the same inputs give the same bytes in any order.
 */
class SafetensorsRoundTripProperties {
  private static Path dir;

  @BeforeContainer
  static void createDir() throws IOException {
    dir = Files.createTempDirectory("safetensors-roundtrip");
  }

  @AfterContainer
  static void deleteDir() throws IOException {
    Cleanup.delete(dir);
  }

  @Provide
  Arbitrary<List<Spec>> specs() {
    return RandomEntries.specs();
  }

  @Provide
  Arbitrary<Map<String, String>> metadata() {
    return RandomEntries.metadata();
  }

  @Property(tries = 300, seed = "4242")
  void writeThenReadGivesBackEveryEntryExactly(@ForAll("specs") List<Spec> specs,
                                              @ForAll("metadata") Map<String, String> metadata) throws IOException {
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

  @Property(tries = 150, seed = "4343")
  void sameInputsGiveTheSameBytesWhateverTheOrder(@ForAll("specs") List<Spec> specs,
                                                  @ForAll("metadata") Map<String, String> metadata) {
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
