package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Damaged and hostile files: whatever is truncated, flipped, rewritten or made up, a read either
 * succeeds with a self-consistent result or throws {@link SafetensorsException} naming the file —
 * never another exception (checked in {@link TestFiles#readBytes}).
 */
class SafetensorsMalformedProperties {
  private static Path dir;

  @BeforeContainer
  static void createDir() throws IOException {
    dir = Files.createTempDirectory("safetensors-malformed");
  }

  @AfterContainer
  static void deleteDir() throws IOException {
    Cleanup.delete(dir);
  }

  @Provide
  Arbitrary<byte[]> validFiles() {
    return Combinators.combine(RandomEntries.specs(), RandomEntries.metadata())
        .as((specs, metadata) -> RandomEntries.bytes(dir, specs, metadata));
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
  @Provide
  Arbitrary<byte[]> smallFiles() {
    return Combinators.combine(RandomEntries.specs(2), RandomEntries.metadata())
        .as((specs, metadata) -> RandomEntries.bytes(dir, specs, metadata));
  }

  @Property(tries = 15, seed = "5151")
  void everyTruncationIsRejected(@ForAll("smallFiles") byte[] valid) {
    for (int length = 0; length < valid.length; length++) {
      TestFiles.rejection(dir.resolve("t.safetensors"), Arrays.copyOf(valid, length));
    }
  }

  @Property(tries = 200, seed = "5252")
  void flippedHeaderBytesGiveOurExceptionOrAConsistentFile(@ForAll("validFiles") byte[] valid,
                                                          @ForAll @Size(min = 1, max = 4) List<Integer> positions,
                                                          @ForAll @Size(min = 4, max = 4) List<Byte> masks) {
    byte[] b = valid.clone();
    int headerEnd = (int) (8 + headerLength(valid));
    for (int i = 0; i < positions.size(); i++) {
      int at = 8 + Math.floorMod(positions.get(i), headerEnd - 8);
      b[at] ^= masks.get(i) == 0 ? 1 : masks.get(i);
    }
    readAndCheck(b);
  }

  @Property(tries = 200, seed = "5353")
  void aCorruptedLengthFieldGivesOurExceptionOrAConsistentFile(@ForAll("validFiles") byte[] valid,
                                                              @ForAll("lengths") long length) {
    byte[] b = valid.clone();
    long n = length < 0 && length > -64 ? headerLength(valid) + length + 32 : length; // near the truth or anywhere
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
    readAndCheck(b);
  }

  @Provide
  Arbitrary<Long> lengths() {
    return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-63, -1),
        Arbitraries.longs().between(0, 4096), Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L,
            Safetensors.MAX_HEADER_BYTES, Safetensors.MAX_HEADER_BYTES + 1, 1L << 32));
  }

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  @Property(tries = 200, seed = "5454")
  void rewrittenNumbersGiveOurExceptionOrAConsistentFile(@ForAll("validFiles") byte[] valid, @ForAll int which,
                                                        @ForAll("numbers") String replacement) {
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
  @Property(tries = 200, seed = "5858")
  void shiftedTensorsAreRejected(@ForAll("validFiles") byte[] valid, @ForAll int which,
                                 @ForAll("shifts") int delta) {
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

  @Provide
  Arbitrary<Integer> shifts() {
    return Arbitraries.integers().between(-16, 16).filter(d -> d != 0);
  }

  @Provide
  Arbitrary<String> numbers() {
    return Arbitraries.oneOf(Arbitraries.integers().between(0, 64).map(String::valueOf),
        Arbitraries.of("-1", "-0", "1.0", "1e3", "2147483647", "2147483648", "4294967296", "9223372036854775807",
            "9223372036854775808", "18446744073709551616", "99999999999999999999999", "0x10", "", "[]", "\"1\""));
  }

  /** Headers assembled from the format's own pieces, each possibly wrong: the validator's paths. */
  @Provide
  Arbitrary<String> plausibleHeaders() {
    Arbitrary<String> dtype = Arbitraries.of("\"F32\"", "\"F16\"", "\"U8\"", "\"BOOL\"", "\"I64\"", "\"BF16\"",
        "\"U64\"", "\"Q7\"", "\"F8_E4M3\"", "\"f32\"", "3", "null", "[\"F32\"]");
    Arbitrary<String> dim = Arbitraries.of("0", "1", "2", "3", "4", "-1", "2147483647", "2147483648", "1.5", "\"2\"");
    Arbitrary<String> shape = Arbitraries.oneOf(dim.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
        Arbitraries.of("2", "null", "{}"));
    Arbitrary<String> offset = Arbitraries.of("0", "1", "2", "4", "8", "12", "16", "24", "-4", "1e1", "9223372036854775807");
    Arbitrary<String> offsets = Arbitraries.oneOf(offset.list().ofMinSize(2).ofMaxSize(2).map(l -> "[" + String.join(",", l) + "]"),
        offset.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"));
    Arbitrary<String> extras = Arbitraries.frequency(Tuple.of(8, ""), Tuple.of(1, ",\"x\":1"), Tuple.of(1, ",\"dtype\":\"F32\""));
    Arbitrary<String> tensor = Combinators.combine(dtype, shape, offsets, extras)
        .as((d, s, o, extra) -> "{\"dtype\":" + d + ",\"shape\":" + s + ",\"data_offsets\":" + o + extra + "}");
    Arbitrary<String> entry = Combinators.combine(Arbitraries.of("\"a\"", "\"b\"", "\"c\"", "\"d\"", "\"e\"", "\"__metadata__\""),
        Arbitraries.oneOf(tensor, Arbitraries.of("{\"k\":\"v\"}", "{\"k\":1}", "[]", "1")))
        .as((k, v) -> k + ":" + v);
    return entry.list().ofMaxSize(3).map(l -> "{" + String.join(",", l) + "}");
  }

  @Property(tries = 1000, seed = "5555")
  void plausibleHeadersGiveOurExceptionOrAConsistentFile(@ForAll("plausibleHeaders") String header,
                                                        @ForAll @Size(max = 40) byte[] data,
                                                        @ForAll("dataLengths") int length) {
    readAndCheck(TestFiles.file(header, Arrays.copyOf(data, length))); // lengths the offsets above can tile
  }

  @Provide
  Arbitrary<Integer> dataLengths() {
    return Arbitraries.of(0, 1, 2, 4, 8, 12, 16, 24, 32);
  }

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of("{", "}", "[", "]", ":", ",", " ", "\"", "\"w\"", "\"dtype\"", "\"shape\"",
        "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "0", "4", "-1", "1.5e", "true", "nul", "\\u12", "\\ud800",
        "\\", "\u0000", "é").list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Property(tries = 1000, seed = "5656")
  void tokenSoupGivesOurExceptionOrAConsistentFile(@ForAll("tokenSoup") String header,
                                                  @ForAll @Size(max = 16) byte[] data) {
    readAndCheck(TestFiles.file(header, data));
  }

  @Property(tries = 300, seed = "5757")
  void randomBytesGiveOurException(@ForAll @Size(max = 300) byte[] bytes, @ForAll boolean plausibleLength) {
    if (plausibleLength && bytes.length >= 8) {
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Math.floorMod(headerLength(bytes), bytes.length - 7));
    }
    readAndCheck(bytes);
  }
}
