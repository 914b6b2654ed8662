package org.incipit.nn.io;

import static org.incipit.nn.io.TestFiles.bytes;
import static org.incipit.nn.io.TestFiles.file;
import static org.incipit.nn.io.TestFiles.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.incipit.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-built files for each validation rule: the message says what is wrong; valid variants load. */
class SafetensorsReadTest {
  @TempDir
  Path dir;

  private String rejected(String header, byte[] data) {
    return TestFiles.rejection(dir.resolve("x.safetensors"), file(header, data));
  }

  private static void assertSays(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "'" + p + "' missing from: " + message);
    }
  }

  private static String w(String dtype, String shape, String offsets) {
    return "{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      duplicate tensor   | {"w":{"dtype":"U8","shape":[],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[],"data_offsets":[1,2]}} | duplicate key "w"
      duplicate field    | {"w":{"dtype":"U8","dtype":"U8","shape":[],"data_offsets":[0,1]}}  | duplicate key "dtype"
      unknown field      | {"w":{"dtype":"U8","shape":[],"data_offsets":[0,1],"x":1}}          | unknown field "x"
      missing field      | {"w":{"dtype":"U8","data_offsets":[0,1]}}                           | missing field "shape"
      dtype not a string | {"w":{"dtype":8,"shape":[],"data_offsets":[0,1]}}                   | "dtype" must be a string, found number
      lower-case dtype   | {"w":{"dtype":"u8","shape":[],"data_offsets":[0,1]}}                | unknown dtype "u8" for tensor 'w'
      unsupported dtype  | {"w":{"dtype":"F8_E4M3","shape":[],"data_offsets":[0,1]}}           | unsupported dtype F8_E4M3 for tensor 'w'
      negative dim       | {"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}              | shape[0] is negative (-1)
      fractional dim     | {"w":{"dtype":"U8","shape":[1.0],"data_offsets":[0,1]}}             | shape[0] must be an integer, found 1.0
      exponent dim       | {"w":{"dtype":"U8","shape":[1e0],"data_offsets":[0,1]}}             | shape[0] must be an integer, found 1e0
      string dim         | {"w":{"dtype":"U8","shape":["1"],"data_offsets":[0,1]}}             | shape[0] must be an integer, found string
      huge dim           | {"w":{"dtype":"U8","shape":[99999999999999999999],"data_offsets":[0,1]}} | shape[0] is too large
      shape not array    | {"w":{"dtype":"U8","shape":1,"data_offsets":[0,1]}}                 | "shape" must be an array of integers
      too many elements  | {"w":{"dtype":"U8","shape":[65536,65536],"data_offsets":[0,1]}}     | more than an Incipit tensor holds
      3 offsets          | {"w":{"dtype":"U8","shape":[],"data_offsets":[0,1,1]}}              | data_offsets must hold 2 integers
      reversed offsets   | {"w":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}}               | end before they begin
      offsets vs shape   | {"w":{"dtype":"F32","shape":[],"data_offsets":[0,1]}}               | needs 4 bytes but data_offsets [0, 1] span 1
      past the data      | {"w":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}               | reach past the data, which holds only 1 bytes
      gap at the start   | {"w":{"dtype":"U8","shape":[0],"data_offsets":[1,1]}}               | a gap at [0, 1) before tensor 'w'
      trailing bytes     | {}                                                                  | 1 trailing bytes belong to no tensor
      tensor not object  | {"w":[1]}                                                           | tensor 'w' must be an object
      header not object  | [1]                                                                 | header must be a JSON object, found array
      metadata number    | {"__metadata__":{"k":1}}                                            | value of key "k" must be a string, found number
      metadata array     | {"__metadata__":["k"]}                                              | "__metadata__" must be an object of strings
      metadata null      | {"__metadata__":null}                                               | "__metadata__" must be an object of strings, found null
      trailing garbage   | {}x                                                                 | after the end of the header object
      unterminated       | {"w                                                                 | unterminated string
      bad escape         | {"\\q":1}                                                           | invalid escape
      lone surrogate     | {"\\ud800":1}                                                       | lone surrogate
      reversed pair      | {"\\udc00\\ud800":1}                                                | lone surrogate
      unquoted key       | {w:1}                                                               | expected a string key
      leading zero       | {"w":{"dtype":"U8","shape":[01],"data_offsets":[0,1]}}              | expected ',' or ']'
      trailing comma     | {"w":1,}                                                            | expected a string key
      bare word          | {"w":nope}                                                          | unexpected 'n'
      empty header       | ''                                                                  | unexpected end of the header
      """)
  void malformedHeadersAreNamed(String what, String header, String expected) {
    assertSays(rejected(header, new byte[] {7}), expected);
  }

  @Test
  void tilingErrorsNameBothTensors() {
    String overlap = "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
        + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}";
    assertSays(rejected(overlap, new byte[3]), "overlap", "'a' [0, 2)", "'b' [1, 3)");
    String gap = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
        + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[2,3]}}";
    assertSays(rejected(gap, new byte[3]), "1 bytes of the data section belong to no tensor", "[1, 2)", "'b'");
    String twice = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
        + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    assertSays(rejected(twice, new byte[1]), "overlap");
  }

  @Test
  void controlCharactersNulPaddingAndBadUtf8AreRejected() {
    assertSays(rejected("{\"a\u0001\":1}", new byte[0]), "control character U+0001");
    assertSays(rejected("{}\0\0\0\0\0\0", new byte[0]), "after the end of the header object");
    byte[] latin1 = {'{', '"', (byte) 0xE9, '"', ':', '1', '}'};
    assertSays(TestFiles.rejection(dir.resolve("u.safetensors"), file(latin1, new byte[0])), "not valid UTF-8");
    byte[] surrogate = {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'}; // CESU-8 U+D800
    assertSays(TestFiles.rejection(dir.resolve("s.safetensors"), file(surrogate, new byte[0])), "not valid UTF-8");
  }

  @Test
  void nestingAndLongArraysAreBounded() {
    String deep = "{\"__metadata__\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertSays(rejected(deep, new byte[0]), "nesting deeper than 16");
    String longShape = "{\"w\":{\"dtype\":\"U8\",\"shape\":[" + "1,".repeat(2000) + "1],\"data_offsets\":[0,1]}}";
    assertSays(rejected(longShape, new byte[1]), "longer than 1024");
  }

  @Test
  void headerLengthIsCheckedBeforeAnyAllocation() throws IOException {
    Path p = dir.resolve("len.safetensors");
    byte[] all = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(0).array();
    assertSays(TestFiles.rejection(p, all), "header length 18446744073709551615 is larger than the file allows (16 bytes");
    byte[] shortFile = {1, 0, 0};
    assertSays(TestFiles.rejection(p, shortFile), "file too short", "3 bytes");
    // a sparse file large enough to hold the claimed header, which is over the format's limit
    Path big = dir.resolve("big.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(Safetensors.MAX_HEADER_BYTES + 64);
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Safetensors.MAX_HEADER_BYTES + 1).array());
    }
    SafetensorsException e = org.junit.jupiter.api.Assertions.assertThrows(SafetensorsException.class,
        () -> Safetensors.read(big));
    assertSays(e.getMessage(), "header length 100000001 exceeds the format's limit of 100000000 bytes");
  }

  @Test
  void elementValuesAreValidated() {
    assertSays(rejected(w("BOOL", "[2]", "[0,2]"), bytes(1, 2)), "BOOL element 1 is byte 2", "0 or 1");
    byte[] u64 = ByteBuffer.allocate(8).putLong(-1L).array();
    assertSays(rejected(w("U64", "[]", "[0,8]"), u64), "U64 element 0 is 18446744073709551615");
  }

  @Test
  void everyStoredTypeLoadsAsDocumented() throws IOException {
    record Case(String dtype, byte[] data, DType loads, double[] values) {}
    List<Case> cases = List.of(
        new Case("U8", bytes(0, 255, 128), DType.I32, new double[] {0, 255, 128}),
        new Case("I8", bytes(0, 255, 128), DType.I32, new double[] {0, -1, -128}),
        new Case("U16", bytes(0xFF, 0xFF, 1, 0, 0, 0x80), DType.I32, new double[] {65535, 1, 32768}),
        new Case("I16", bytes(0xFF, 0xFF, 1, 0, 0, 0x80), DType.I32, new double[] {-1, 1, -32768}),
        new Case("U32", bytes(0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 0, 0, 0, 0x80), DType.I64,
            new double[] {4294967295.0, 1, 2147483648.0}),
        new Case("F16", bytes(0, 0x3C, 0xFF, 0x7B, 1, 0), DType.F32, new double[] {1, 65504, 0x1p-24}),
        new Case("BF16", bytes(0x80, 0x3F, 0x80, 0xFF, 0xC0, 0x3F), DType.F32,
            new double[] {1, Double.NEGATIVE_INFINITY, 1.5}),
        new Case("BOOL", bytes(1, 0, 1), DType.BOOL, new double[] {1, 0, 1}));
    for (Case c : cases) {
      int size = c.data().length / 3;
      Path p = dir.resolve(c.dtype() + ".safetensors");
      SafetensorsFile f = TestFiles.readBytes(p, file(w(c.dtype(), "[3]", "[0," + 3 * size + "]"), c.data()));
      SafetensorsFile.Entry e = f.entries().get(0);
      assertEquals(StoredDType.valueOf(c.dtype()), e.stored());
      assertEquals(c.loads(), e.tensor().dtype(), c.dtype());
      assertArrayEquals(c.values(), e.tensor().toDoubles(), 0.0, c.dtype());
    }
  }

  @Test
  void entriesComeInOffsetOrderWhateverTheHeaderOrder() throws IOException {
    String header = " \t\n{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
        + "\"__metadata__\":{\"z\":\"1\",\"a\":\"2\"},"
        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,7],\"data_offsets\":[4,4]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}\r\n  ";
    SafetensorsFile f = TestFiles.readBytes(dir.resolve("o.safetensors"), file(header, floats(1f, 2f)));
    assertEquals(List.of("a", "e", "b"), List.copyOf(f.tensors().keySet()));
    assertEquals(List.of("z", "a"), List.copyOf(f.metadata().keySet()));
    assertEquals(2.0, f.tensors().get("b").item());
    assertArrayEquals(new int[] {0, 7}, f.tensors().get("e").shape().dims());
  }

  @Test
  void emptyHeaderObjectIsAnEmptyFile() throws IOException {
    SafetensorsFile f = TestFiles.readBytes(dir.resolve("e.safetensors"), file("{}      ", new byte[0]));
    assertEquals(List.of(), f.entries());
    assertEquals(Map.of(), f.metadata());
  }

  @Test
  void escapedNamesAreDecoded() throws IOException {
    String header = "{\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]}}";
    SafetensorsFile f = TestFiles.readBytes(dir.resolve("n.safetensors"), file(header, bytes(9)));
    assertEquals("a\"\\/\b\f\n\r\té\uD83D\uDE00", f.entries().get(0).name());
  }
}
