package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers: the fixture folder, hand-built files, and "only our exception escapes". */
final class TestFiles {
  private TestFiles() {}

  /**
   * {@code ../shared/fixtures/safetensors} beside the project root (found by walking up to the
   * folder holding the {@code incipit} launcher; {@code -Dincipit.fixtures=DIR} overrides), or a
   * skip with a clear message when it is absent, as in a fresh clone.
   */
  static Path fixtures() {
    Path root = null;
    String override = System.getProperty("incipit.fixtures");
    if (override != null) {
      root = Path.of(override);
    } else {
      Path dir = Path.of("").toAbsolutePath();
      while (dir != null && !Files.exists(dir.resolve("incipit"))) {
        dir = dir.getParent();
      }
      if (dir != null && dir.getParent() != null) {
        root = dir.getParent().resolve("shared").resolve("fixtures");
      }
    }
    Path st = root == null ? null : root.resolve("safetensors");
    Assumptions.assumeTrue(st != null && Files.isDirectory(st),
        "skipped: ../shared/fixtures/safetensors is not present beside the project (it ships with the"
            + " development environment, not with a clone); set -Dincipit.fixtures=DIR to point at a copy");
    return st;
  }

  /** Files of {@code dir} whose names start with {@code prefix} and end with {@code suffix}, sorted. */
  static Stream<Path> list(Path dir, String prefix, String suffix) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(suffix))
          .sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file: the 8-byte length of {@code header}, {@code header} (UTF-8, unpadded), then {@code data}. */
  static byte[] file(String header, byte[] data) {
    return file(header.getBytes(StandardCharsets.UTF_8), data);
  }

  static byte[] file(byte[] header, byte[] data) {
    return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(header.length).put(header).put(data).array();
  }

  /** Little-endian bytes of {@code v}. */
  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  static byte[] bytes(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  /** Writes {@code bytes} to {@code path} and reads it: a success, or a {@link SafetensorsException}, nothing else. */
  static SafetensorsFile readBytes(Path path, byte[] bytes) throws SafetensorsException {
    try {
      Files.write(path, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return Safetensors.read(path);
    } catch (SafetensorsException e) {
      assertTrue(e.getMessage().startsWith(path.toString()), "the message names the file: " + e.getMessage());
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("only SafetensorsException may escape, got " + t + " for "
          + Arrays.toString(Arrays.copyOf(bytes, Math.min(bytes.length, 200))), t);
    }
  }

  /** Like {@link #readBytes} but the read must fail; returns the message. */
  static String rejection(Path path, byte[] bytes) {
    try {
      SafetensorsFile f = readBytes(path, bytes);
      return fail("accepted a malformed file with " + f.entries().size() + " entries");
    } catch (SafetensorsException e) {
      return e.getMessage();
    }
  }
}
