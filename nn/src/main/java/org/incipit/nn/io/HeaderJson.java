package org.incipit.nn.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader and string writer for safetensors headers.
 *
 * <p>Why not Gson: the header is untrusted input with a tiny grammar, and its checks are the point
 * of the reader. Gson's tree model keeps the last of duplicate keys, accepts lenient syntax unless
 * configured, and throws unchecked exceptions that would each need translating; this reader rejects
 * duplicate keys, lone surrogates, control characters and trailing garbage, bounds nesting and
 * array length (so no input can exhaust the stack), reports the character position, and throws
 * only {@link SafetensorsException}. It also keeps {@code nn} free of dependencies.
 *
 * <p>Values: objects are {@code LinkedHashMap<String, Object>} in document order, arrays
 * {@code List<Object>}, strings {@code String}, numbers {@link Num} (the literal, checked against
 * the JSON grammar; the header validator decides what is a valid integer), {@code Boolean}, and
 * {@link #NULL}.
 */
final class HeaderJson {
  /** Deeper nesting is rejected; a valid header needs 3 levels. */
  static final int MAX_DEPTH = 16;
  /** Longer arrays are rejected; a valid header's longest array is a shape. */
  static final int MAX_ARRAY = 1024;

  /** A JSON number as written. */
  record Num(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** The JSON {@code null}. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private final String s;
  private final String source;
  private int pos;

  private HeaderJson(String s, String source) {
    this.s = s;
    this.source = source;
  }

  /** Parses one JSON value filling all of {@code text} (whitespace aside). */
  static Object parse(String text, String source) throws SafetensorsException {
    HeaderJson p = new HeaderJson(text, source);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos < text.length()) {
      throw p.error("unexpected " + p.describe() + " after the end of the header object");
    }
    return value;
  }

  /** A JSON kind name for messages: "object", "array", "string", "number", "boolean", "null". */
  static String kind(Object v) {
    if (v instanceof Map) {
      return "object";
    } else if (v instanceof List) {
      return "array";
    } else if (v instanceof String) {
      return "string";
    } else if (v instanceof Num) {
      return "number";
    } else if (v instanceof Boolean) {
      return "boolean";
    }
    return "null";
  }

  /** {@code text} as a JSON string literal, escaped as serde_json does (compact, UTF-8 kept). */
  static String quote(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private Object value(int depth) throws SafetensorsException {
    if (pos >= s.length()) {
      throw error("unexpected end of the header");
    }
    char c = s.charAt(pos);
    if (c == '{' || c == '[') {
      if (depth >= MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH + " levels");
      }
      return c == '{' ? object(depth + 1) : array(depth + 1);
    } else if (c == '"') {
      return string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    } else if (s.startsWith("true", pos)) {
      pos += 4;
      return Boolean.TRUE;
    } else if (s.startsWith("false", pos)) {
      pos += 5;
      return Boolean.FALSE;
    } else if (s.startsWith("null", pos)) {
      pos += 4;
      return NULL;
    }
    throw error("unexpected " + describe());
  }

  private Map<String, Object> object(int depth) throws SafetensorsException {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++; // '{'
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      if (peek() != '"') {
        throw error("expected a string key but found " + describe());
      }
      int keyAt = pos;
      String key = string();
      if (map.containsKey(key)) {
        pos = keyAt;
        throw error("duplicate key " + quote(key));
      }
      skipWhitespace();
      expect(':');
      skipWhitespace();
      map.put(key, value(depth));
      skipWhitespace();
      if (peek() == ',') {
        pos++;
        skipWhitespace();
      } else if (peek() == '}') {
        pos++;
        return map;
      } else {
        throw error("expected ',' or '}' but found " + describe());
      }
    }
  }

  private List<Object> array(int depth) throws SafetensorsException {
    List<Object> list = new ArrayList<>();
    pos++; // '['
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      if (list.size() == MAX_ARRAY) {
        throw error("an array longer than " + MAX_ARRAY + " elements");
      }
      list.add(value(depth));
      skipWhitespace();
      if (peek() == ',') {
        pos++;
        skipWhitespace();
      } else if (peek() == ']') {
        pos++;
        return list;
      } else {
        throw error("expected ',' or ']' but found " + describe());
      }
    }
  }

  private String string() throws SafetensorsException {
    int start = pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        pos = start;
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      } else if (c < 0x20) {
        pos--;
        throw error(String.format("unescaped control character U+%04X in a string", (int) c));
      } else if (c != '\\') {
        b.append(c); // the UTF-8 decoder already rejected lone surrogates in raw text
        continue;
      }
      if (pos >= s.length()) {
        pos = start;
        throw error("unterminated string");
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          char u = hex4();
          if (Character.isHighSurrogate(u) && s.startsWith("\\u", pos)) {
            pos += 2;
            char low = hex4();
            if (!Character.isLowSurrogate(low)) {
              pos -= 6;
              throw error("a high surrogate escape not followed by a low surrogate");
            }
            b.append(u).append(low);
          } else if (Character.isSurrogate(u)) {
            pos -= 6;
            throw error("a lone surrogate escape \\u" + String.format("%04X", (int) u));
          } else {
            b.append(u);
          }
        }
        default -> {
          pos -= 2;
          throw error("an invalid escape sequence");
        }
      }
    }
  }

  private char hex4() throws SafetensorsException {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = pos < s.length() ? Character.digit(s.charAt(pos), 16) : -1;
      if (d < 0) {
        throw error("\\u must be followed by 4 hex digits");
      }
      v = v * 16 + d;
      pos++;
    }
    return (char) v;
  }

  /** -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
  private Num number() throws SafetensorsException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (!digits()) {
      throw error("a malformed number");
    }
    if (peek() == '.') {
      pos++;
      if (!digits()) {
        throw error("a malformed number (no digits after '.')");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!digits()) {
        throw error("a malformed number (no digits in the exponent)");
      }
    }
    return new Num(s.substring(start, pos));
  }

  private boolean digits() {
    int start = pos;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private void expect(char c) throws SafetensorsException {
    if (peek() != c) {
      throw error("expected '" + c + "' but found " + describe());
    }
    pos++;
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private String describe() {
    if (pos >= s.length()) {
      return "the end of the header";
    }
    char c = s.charAt(pos);
    return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("character U+%04X", (int) c);
  }

  private SafetensorsException error(String what) {
    return new SafetensorsException(source + ": header is not valid JSON: " + what
        + " at character " + pos + " of " + s.length());
  }
}
