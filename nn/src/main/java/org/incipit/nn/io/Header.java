package org.incipit.nn.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated JSON header of a safetensors file: each tensor's stored type, shape and byte range
 * in the data section, sorted by offset, plus the {@code __metadata__} strings.
 *
 * <p>Grammar enforced (the reference library's, closed: unknown fields are errors):
 * <pre>
 *   header = { NAME: {"dtype": STRING, "shape": [INT, …], "data_offsets": [BEGIN, END]}, …
 *              , "__metadata__": {STRING: STRING, …} }        (optional, any position)
 * </pre>
 * Integers are JSON integers (no fraction or exponent). Dimensions lie in [0, 2³¹−1] and their
 * running product in [0, 2³¹−1] (Incipit's {@code Shape} limit); offsets satisfy
 * 0 ≤ BEGIN ≤ END ≤ data length, and END − BEGIN = Π shape · dtype size. Sorted by (BEGIN, END),
 * the tensors must tile the data section exactly: the first starts at 0, each starts where the
 * previous ends (no gap, no overlap), and the last ends at the end of the file.
 *
 * <p>Stricter than the reference reader, on purpose: duplicate keys anywhere, unknown fields in a
 * tensor entry, a {@code null} {@code __metadata__}, nesting deeper than
 * {@value HeaderJson#MAX_DEPTH} levels and arrays over {@value HeaderJson#MAX_ARRAY} elements
 * (shapes of higher rank) are errors rather than silently dropped or accepted. Leading and
 * trailing JSON whitespace (the writer's space padding) is allowed; anything else around the
 * object, NUL padding included, is not.
 */
record Header(List<Info> tensors, Map<String, String> metadata) {
  static final String METADATA_KEY = "__metadata__";
  private static final List<String> FIELDS = List.of("dtype", "shape", "data_offsets");

  /** One tensor's entry: offsets are relative to the start of the data section. */
  record Info(String name, StoredDType dtype, int[] shape, long begin, long end) {
    int numel() {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      return (int) n; // validated ≤ 2³¹−1
    }

    String range() {
      return "[" + begin + ", " + end + ")";
    }
  }

  /** Decodes and validates {@code bytes} (the header) of a file whose data section has {@code dataLength} bytes. */
  static Header parse(String source, byte[] bytes, long dataLength) throws SafetensorsException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new SafetensorsException(source + ": header is not valid UTF-8 (" + e.getMessage() + ")");
    }
    Object root = HeaderJson.parse(text, source);
    if (!(root instanceof Map<?, ?> map)) {
      throw new SafetensorsException(source + ": header must be a JSON object, found " + HeaderJson.kind(root));
    }
    List<Info> tensors = new ArrayList<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = (String) e.getKey();
      if (name.equals(METADATA_KEY)) {
        metadata = metadata(source, e.getValue());
      } else {
        tensors.add(info(source, name, e.getValue(), dataLength));
      }
    }
    // Stable: empty tensors at the same offset keep header order.
    tensors.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
    checkTiling(source, tensors, dataLength);
    return new Header(List.copyOf(tensors), Collections.unmodifiableMap(metadata));
  }

  private static Map<String, String> metadata(String source, Object value) throws SafetensorsException {
    if (!(value instanceof Map<?, ?> map)) {
      throw new SafetensorsException(source + ": \"__metadata__\" must be an object of strings, found "
          + HeaderJson.kind(value));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String v)) {
        throw new SafetensorsException(source + ": \"__metadata__\" value of key "
            + HeaderJson.quote((String) e.getKey()) + " must be a string, found " + HeaderJson.kind(e.getValue()));
      }
      out.put((String) e.getKey(), v);
    }
    return out;
  }

  private static Info info(String source, String name, Object value, long dataLength) throws SafetensorsException {
    String where = source + ": tensor '" + name + "'";
    if (!(value instanceof Map<?, ?> fields)) {
      throw new SafetensorsException(where + " must be an object with dtype, shape and data_offsets, found "
          + HeaderJson.kind(value));
    }
    for (Object key : fields.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new SafetensorsException(where + " has unknown field " + HeaderJson.quote((String) key)
            + " (expected dtype, shape, data_offsets)");
      }
    }
    for (String field : FIELDS) {
      if (!fields.containsKey(field)) {
        throw new SafetensorsException(where + " is missing field \"" + field + "\"");
      }
    }
    StoredDType dtype = dtype(source, name, fields.get("dtype"));
    long[] dims = integers(where, "shape", fields.get("shape"));
    long[] offsets = integers(where, "data_offsets", fields.get("data_offsets"));
    int[] shape = new int[dims.length];
    long numel = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] > Integer.MAX_VALUE || (numel *= dims[i]) > Integer.MAX_VALUE) {
        throw new SafetensorsException(where + " has shape " + Arrays.toString(dims)
            + ", more than an Incipit tensor holds (2^31-1 elements, each dimension and running product)");
      }
      shape[i] = (int) dims[i];
    }
    if (offsets.length != 2) {
      throw new SafetensorsException(where + ": data_offsets must hold 2 integers [begin, end], found "
          + offsets.length);
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin) {
      throw new SafetensorsException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    if (end > dataLength) {
      throw new SafetensorsException(where + ": data_offsets [" + begin + ", " + end
          + "] reach past the data, which holds only " + dataLength
          + " bytes after the header: the data is shorter than the offsets (file truncated?)");
    }
    long bytes = numel * dtype.bytes(); // ≤ (2³¹−1) · 8: no overflow
    if (end - begin != bytes) {
      throw new SafetensorsException(where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
          + bytes + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
    }
    return new Info(name, dtype, shape, begin, end);
  }

  private static StoredDType dtype(String source, String name, Object value) throws SafetensorsException {
    if (!(value instanceof String s)) {
      throw new SafetensorsException(source + ": tensor '" + name + "': field \"dtype\" must be a string, found "
          + HeaderJson.kind(value));
    }
    StoredDType t = StoredDType.named(s);
    if (t != null) {
      return t;
    }
    if (StoredDType.UNSUPPORTED.contains(s)) {
      throw new SafetensorsException(source + ": unsupported dtype " + s + " for tensor '" + name
          + "' (Incipit reads " + StoredDType.supportedNames() + ")");
    }
    throw new SafetensorsException(source + ": unknown dtype " + HeaderJson.quote(s) + " for tensor '" + name
        + "' (safetensors types are " + StoredDType.supportedNames() + ", " + String.join(", ", StoredDType.UNSUPPORTED) + ")");
  }

  /** The field as non-negative 64-bit integers. */
  private static long[] integers(String where, String field, Object value) throws SafetensorsException {
    if (!(value instanceof List<?> list)) {
      throw new SafetensorsException(where + ": field \"" + field + "\" must be an array of integers, found "
          + HeaderJson.kind(value));
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = list.get(i);
      String at = where + ": " + field + "[" + i + "] ";
      if (!(v instanceof HeaderJson.Num n)) {
        throw new SafetensorsException(at + "must be an integer, found " + HeaderJson.kind(v));
      }
      String text = n.text();
      if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
        throw new SafetensorsException(at + "must be an integer, found " + text);
      }
      if (text.startsWith("-")) {
        throw new SafetensorsException(at + "is negative (" + text + ")");
      }
      try {
        out[i] = Long.parseLong(text);
      } catch (NumberFormatException e) { // digits only by the JSON grammar: too many of them
        throw new SafetensorsException(at + "is too large (" + text + ")");
      }
    }
    return out;
  }

  private static void checkTiling(String source, List<Info> sorted, long dataLength) throws SafetensorsException {
    long at = 0;
    Info previous = null;
    for (Info t : sorted) {
      if (t.begin() < at) {
        throw new SafetensorsException(source + ": tensor byte ranges overlap: '" + previous.name() + "' "
            + previous.range() + " and '" + t.name() + "' " + t.range());
      }
      if (t.begin() > at) {
        throw new SafetensorsException(source + ": " + (t.begin() - at) + " bytes of the data section belong to no"
            + " tensor: a gap at [" + at + ", " + t.begin() + ") before tensor '" + t.name() + "'");
      }
      at = t.end();
      previous = t;
    }
    if (at != dataLength) {
      throw new SafetensorsException(source + ": the data section holds " + dataLength + " bytes but the tensors"
          + " cover only [0, " + at + "): " + (dataLength - at) + " trailing bytes belong to no tensor");
    }
  }

  /**
   * The header bytes for tensors laid out in {@code order} (contiguous, from offset 0), compact JSON
   * with {@code __metadata__} first and its keys sorted, padded with spaces to a multiple of 8.
   */
  static byte[] encode(String source, List<SafetensorsFile.Entry> order, Map<String, String> metadata)
      throws SafetensorsException {
    StringBuilder b = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      b.append(HeaderJson.quote(METADATA_KEY)).append(":{");
      String sep = "";
      for (String key : metadata.keySet().stream().sorted(Header::compareUtf8).toList()) {
        b.append(sep).append(HeaderJson.quote(key)).append(':').append(HeaderJson.quote(metadata.get(key)));
        sep = ",";
      }
      b.append('}');
    }
    long offset = 0;
    for (SafetensorsFile.Entry e : order) {
      long bytes = (long) e.tensor().numel() * e.stored().bytes();
      b.append(b.length() > 1 ? "," : "").append(HeaderJson.quote(e.name())).append(":{\"dtype\":\"")
          .append(e.stored()).append("\",\"shape\":[");
      int[] dims = e.tensor().shape().dims();
      for (int i = 0; i < dims.length; i++) {
        b.append(i > 0 ? "," : "").append(dims[i]);
      }
      b.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
      offset += bytes;
    }
    byte[] json = b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    if (padded > Safetensors.MAX_HEADER_BYTES) {
      throw new SafetensorsException(source + ": the header would take " + padded + " bytes, over the format's "
          + Safetensors.MAX_HEADER_BYTES + "-byte limit");
    }
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  /** Byte order of the UTF-8 encodings (Rust's {@code String} order, used by the reference writer). */
  static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** True when {@code s} has no unpaired surrogate, so it encodes to UTF-8 without loss. */
  static boolean isWellFormed(String s) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(CharBuffer.wrap(s));
  }
}
