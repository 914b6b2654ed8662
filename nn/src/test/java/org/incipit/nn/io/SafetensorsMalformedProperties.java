package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Damaged and hostile files: whatever is truncated, flipped, rewritten or made up, a read either
 * succeeds with a self-consistent result or throws {@link SafetensorsException} naming the file —
 * never another exception (checked in {@link TestFiles#readBytes}). Byte arrays are drawn with their
 * empty and longest sizes mixed in; the other edge cases come from {@link RandomEntries} and the
 * explicit lists below.
 */
class SafetensorsMalformedProperties {
  private static Path dir;

  @BeforeAll
  static void createDir() throws IOException {
    dir = Files.createTempDirectory("safetensors-malformed");
  }

  @AfterAll
  static void deleteDir() throws IOException {
    Cleanup.delete(dir);
  }

  static Gen<byte[]> validFiles() {
    return RandomEntries.specs().zip(RandomEntries.metadata(), (specs, metadata) -> RandomEntries.bytes(dir, specs,
        metadata)).describedAs(SafetensorsMalformedProperties::describe);
  }

  /** Byte arrays of 0–{@code max} bytes, the sizes 0, 1 and {@code max} mixed in one draw in five. */
  static Gen<byte[]> byteArrays(int max) {
    Gen<Integer> sizes = integers().between(0, max).mix(Generate.pick(List.of(0, 1, max)), RandomEntries.EDGE_PERCENT);
    return Generate.byteArrays(sizes, Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
        .describedAs(SafetensorsMalformedProperties::describe);
  }

  /** A file in a failure report: its length, and its bytes as text where printable. */
  private static String describe(byte[] b) {
    StringBuilder s = new StringBuilder(b.length + " bytes: ");
    for (byte x : b) {
      s.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xFF));
    }
    return s.toString();
  }

  /** The read's outcome: a success must account for every data byte. */
  private static void readAndCheck(byte[] bytes) {
    try {
      SafetensorsFile f = TestFiles.readBytes(dir.resolve("m.safetensors"), bytes);
      long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      long data = 0;
      for (SafetensorsFile.Entry e : f.entries()) {
        data += (long) e.tensor().numel() * e.stored().bytes();
      }
      assertEquals(bytes.length - 8 - n, data, "the tensors of an accepted file tile its data");
    } catch (SafetensorsException expected) {
      // rejected with our exception: fine
    }
  }

  private static long headerLength(byte[] file) {
    return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** Valid files small enough to truncate at every length (dimensions up to 2). */
  static Gen<byte[]> smallFiles() {
    return RandomEntries.specs(2).zip(RandomEntries.metadata(), (specs, metadata) -> RandomEntries.bytes(dir, specs,
        metadata)).describedAs(SafetensorsMalformedProperties::describe);
  }

  @Test
  void everyTruncationIsRejected() {
    qt().withFixedSeed(5151L).withExamples(15).forAll(smallFiles()).checkAssert(valid -> {
      for (int length = 0; length < valid.length; length++) {
        TestFiles.rejection(dir.resolve("t.safetensors"), Arrays.copyOf(valid, length));
      }
    });
  }

  @Test
  void flippedHeaderBytesGiveOurExceptionOrAConsistentFile() {
    Gen<List<Byte>> masks = lists().of(Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)).ofSize(4);
    qt().withFixedSeed(5252L).withExamples(200)
        .forAll(validFiles(), lists().of(RandomEntries.ints()).ofSizeBetween(1, 4), masks)
        .checkAssert(SafetensorsMalformedProperties::flipped);
  }

  private static void flipped(byte[] valid, List<Integer> positions, List<Byte> masks) {
    byte[] b = valid.clone();
    int headerEnd = (int) (8 + headerLength(valid));
    for (int i = 0; i < positions.size(); i++) {
      int at = 8 + Math.floorMod(positions.get(i), headerEnd - 8);
      b[at] ^= masks.get(i) == 0 ? 1 : masks.get(i);
    }
    readAndCheck(b);
  }

  @Test
  void aCorruptedLengthFieldGivesOurExceptionOrAConsistentFile() {
    qt().withFixedSeed(5353L).withExamples(200).forAll(validFiles(), lengths()).checkAssert((valid, length) -> {
      byte[] b = valid.clone();
      long n = length < 0 && length > -64 ? headerLength(valid) + length + 32 : length; // near the truth or anywhere
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
      readAndCheck(b);
    });
  }

  static Gen<Long> lengths() {
    return Generate.oneOf(RandomEntries.longs(), longs().between(-63, -1), longs().between(0, 4096),
        Generate.pick(List.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, Safetensors.MAX_HEADER_BYTES,
            Safetensors.MAX_HEADER_BYTES + 1, 1L << 32)));
  }

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  @Test
  void rewrittenNumbersGiveOurExceptionOrAConsistentFile() {
    qt().withFixedSeed(5454L).withExamples(200).forAll(validFiles(), RandomEntries.ints(), numbers())
        .checkAssert(SafetensorsMalformedProperties::rewrittenNumber);
  }

  private static void rewrittenNumber(byte[] valid, int which, String replacement) {
    int n = (int) headerLength(valid);
    String header = new String(valid, 8, n, StandardCharsets.UTF_8);
    List<MatchResult> found = NUMBER.matcher(header).results().map(m -> new MatchResult(m.start(), m.end())).toList();
    if (found.isEmpty()) {
      return;
    }
    MatchResult m = found.get(Math.floorMod(which, found.size()));
    String changed = header.substring(0, m.start()) + replacement + header.substring(m.end());
    byte[] data = Arrays.copyOfRange(valid, 8 + n, valid.length);
    readAndCheck(TestFiles.file(changed, data));
  }

  private record MatchResult(int start, int end) {}

  private static final Pattern OFFSETS = Pattern.compile("\"data_offsets\":\\[(\\d+),(\\d+)\\]");

  /** Moving a non-empty tensor's byte range (same length) opens a gap, an overlap or runs past the end. */
  @Test
  void shiftedTensorsAreRejected() {
    qt().withFixedSeed(5858L).withExamples(200).forAll(validFiles(), RandomEntries.ints(), shifts())
        .checkAssert(SafetensorsMalformedProperties::shifted);
  }

  private static void shifted(byte[] valid, int which, int delta) {
    int n = (int) headerLength(valid);
    String header = new String(valid, 8, n, StandardCharsets.UTF_8);
    List<long[]> found = OFFSETS.matcher(header).results()
        .map(m -> new long[] {m.start(), m.end(), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))}).toList();
    if (found.isEmpty()) {
      return;
    }
    long[] f = found.get(Math.floorMod(which, found.size()));
    long begin = f[2] + delta;
    long end = f[3] + delta;
    String moved = "\"data_offsets\":[" + begin + "," + end + "]";
    String changed = header.substring(0, (int) f[0]) + moved + header.substring((int) f[1]);
    byte[] file = TestFiles.file(changed, Arrays.copyOfRange(valid, 8 + n, valid.length));
    if (f[3] > f[2]) {
      TestFiles.rejection(dir.resolve("s.safetensors"), file);
    } else {
      readAndCheck(file); // an empty tensor may validly sit at another boundary
    }
  }

  /** Shifts in [−16, 16] other than 0; ±1 and ±16 mixed in. */
  static Gen<Integer> shifts() {
    return integers().between(-16, 15).map(d -> d >= 0 ? d + 1 : d)
        .mix(Generate.pick(List.of(-16, -1, 1, 16)), RandomEntries.EDGE_PERCENT);
  }

  static Gen<String> numbers() {
    return Generate.oneOf(integers().between(0, 64).map(i -> String.valueOf(i)),
        Generate.pick(List.of("-1", "-0", "1.0", "1e3", "2147483647", "2147483648", "4294967296", "9223372036854775807",
            "9223372036854775808", "18446744073709551616", "99999999999999999999999", "0x10", "", "[]", "\"1\"")));
  }

  /** Strings joined from {@code 0–max} of {@code pieces}. */
  private static Gen<String> joined(List<String> pieces, int max, String open, String close) {
    return lists().of(Generate.pick(pieces)).ofSizeBetween(0, max).map(l -> open + String.join(",", l) + close);
  }

  /** Headers assembled from the format's own pieces, each possibly wrong: the validator's paths. */
  static Gen<String> plausibleHeaders() {
    Gen<String> dtype = Generate.pick(List.of("\"F32\"", "\"F16\"", "\"U8\"", "\"BOOL\"", "\"I64\"", "\"BF16\"",
        "\"U64\"", "\"Q7\"", "\"F8_E4M3\"", "\"f32\"", "3", "null", "[\"F32\"]"));
    List<String> dims = List.of("0", "1", "2", "3", "4", "-1", "2147483647", "2147483648", "1.5", "\"2\"");
    Gen<String> shape = Generate.oneOf(joined(dims, 4, "[", "]"), Generate.pick(List.of("2", "null", "{}")));
    List<String> offset = List.of("0", "1", "2", "4", "8", "12", "16", "24", "-4", "1e1", "9223372036854775807");
    Gen<String> pair = lists().of(Generate.pick(offset)).ofSize(2).map(l -> "[" + String.join(",", l) + "]");
    Gen<String> offsets = Generate.oneOf(pair, joined(offset, 3, "[", "]"));
    Gen<String> extras = Generate.frequency(Pair.of(8, Generate.constant("")), Pair.of(1, Generate.constant(",\"x\":1")),
        Pair.of(1, Generate.constant(",\"dtype\":\"F32\"")));
    Gen<String> tensor = dtype.zip(shape, offsets, extras,
        (d, s, o, extra) -> "{\"dtype\":" + d + ",\"shape\":" + s + ",\"data_offsets\":" + o + extra + "}");
    Gen<String> key = Generate.pick(List.of("\"a\"", "\"b\"", "\"c\"", "\"d\"", "\"e\"", "\"__metadata__\""));
    Gen<String> value = Generate.oneOf(tensor, Generate.pick(List.of("{\"k\":\"v\"}", "{\"k\":1}", "[]", "1")));
    Gen<String> entry = key.zip(value, (k, v) -> k + ":" + v);
    return lists().of(entry).ofSizeBetween(0, 3).map(l -> "{" + String.join(",", l) + "}");
  }

  @Test
  void plausibleHeadersGiveOurExceptionOrAConsistentFile() {
    Gen<Integer> dataLengths = Generate.pick(List.of(0, 1, 2, 4, 8, 12, 16, 24, 32)); // lengths the offsets can tile
    qt().withFixedSeed(5555L).withExamples(1000).forAll(plausibleHeaders(), byteArrays(40), dataLengths)
        .checkAssert((header, data, length) -> readAndCheck(TestFiles.file(header, Arrays.copyOf(data, length))));
  }

  static Gen<String> tokenSoup() {
    List<String> tokens = List.of("{", "}", "[", "]", ":", ",", " ", "\"", "\"w\"", "\"dtype\"", "\"shape\"",
        "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "0", "4", "-1", "1.5e", "true", "nul", "\\u12", "\\ud800",
        "\\", "\u0000", "é");
    return lists().of(Generate.pick(tokens)).ofSizeBetween(0, 40).map(l -> String.join("", l));
  }

  @Test
  void tokenSoupGivesOurExceptionOrAConsistentFile() {
    qt().withFixedSeed(5656L).withExamples(1000).forAll(tokenSoup(), byteArrays(16))
        .checkAssert((header, data) -> readAndCheck(TestFiles.file(header, data)));
  }

  @Test
  void randomBytesGiveOurException() {
    qt().withFixedSeed(5757L).withExamples(300).forAll(byteArrays(300), booleans().all())
        .checkAssert((bytes, plausibleLength) -> {
          if (plausibleLength && bytes.length >= 8) {
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, Math.floorMod(headerLength(bytes), bytes.length - 7));
          }
          readAndCheck(bytes);
        });
  }
}
