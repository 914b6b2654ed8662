package org.incipit.nn.io;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.incipit.tensor.DType;

/**
 * The element types of a safetensors file that Incipit reads and writes, and the Incipit
 * {@link DType} each one loads as. Every conversion on load is exact:
 *
 * <pre>
 *   stored  bytes  loads as  note
 *   BOOL      1    BOOL      each byte must be 0 or 1
 *   U8        1    I32       0 … 255
 *   I8        1    I32
 *   I16       2    I32
 *   U16       2    I32       0 … 65535
 *   F16       2    F32       IEEE binary16; every value (±inf, NaN payloads, subnormals) is a float
 *   BF16      2    F32       bfloat16: the upper half of a float32
 *   I32       4    I32
 *   U32       4    I64       0 … 2³²−1
 *   F32       4    F32
 *   F64       8    F64
 *   I64       8    I64
 *   U64       8    I64       values above 2⁶³−1 are rejected, never wrapped
 * </pre>
 *
 * The format's other types ({@link #UNSUPPORTED}: 4-, 6- and 8-bit floats, complex) are rejected
 * with "unsupported dtype X for tensor 'name'"; a name outside the format is an "unknown dtype".
 *
 * <p><b>Storing.</b> A tensor may be stored as any type of its own kind: F32/F64 tensors as F16,
 * BF16, F32 or F64; I32/I64 tensors as any integer type; BOOL tensors as BOOL. Narrowing floats
 * round to nearest, ties to even (IEEE 754), and keep ±inf, NaN and signed zero; a finite value
 * that would round to infinity (|x| ≥ 65520 for F16) is an error, not a silent inf. Integers out
 * of the stored type's range are an error, never wrapped. {@link #defaultFor} is the tensor's own
 * type, so values round-trip exactly.
 *
 * <p>The constants are declared in the reference library's dtype order (increasing alignment);
 * the writer lays tensors out by descending order, then by name, as that library does, so every
 * tensor's data starts aligned to its element size.
 */
public enum StoredDType {
  BOOL(1, DType.BOOL, 0, 1),
  U8(1, DType.I32, 0, 255),
  I8(1, DType.I32, Byte.MIN_VALUE, Byte.MAX_VALUE),
  I16(2, DType.I32, Short.MIN_VALUE, Short.MAX_VALUE),
  U16(2, DType.I32, 0, 65535),
  F16(2, DType.F32, 0, 0),
  BF16(2, DType.F32, 0, 0),
  I32(4, DType.I32, Integer.MIN_VALUE, Integer.MAX_VALUE),
  U32(4, DType.I64, 0, 0xFFFF_FFFFL),
  F32(4, DType.F32, 0, 0),
  F64(8, DType.F64, 0, 0),
  I64(8, DType.I64, Long.MIN_VALUE, Long.MAX_VALUE),
  U64(8, DType.I64, 0, Long.MAX_VALUE);

  /** Types the safetensors format defines that Incipit rejects when reading. */
  public static final List<String> UNSUPPORTED = List.of(
      "F4", "F6_E2M3", "F6_E3M2", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "C64");

  private final int bytes;
  private final DType loadsAs;
  private final long min;
  private final long max;

  StoredDType(int bytes, DType loadsAs, long min, long max) {
    this.bytes = bytes;
    this.loadsAs = loadsAs;
    this.min = min;
    this.max = max;
  }

  /** Size of one stored element in bytes. */
  public int bytes() {
    return bytes;
  }

  /** The Incipit type a tensor of this stored type is loaded as. */
  public DType loadsAs() {
    return loadsAs;
  }

  /** True for F16, BF16, F32 and F64. */
  public boolean isFloating() {
    return loadsAs.isFloating();
  }

  /** True when a tensor of type {@code source} may be stored as this type (same kind). */
  public boolean canStore(DType source) {
    if (this == BOOL || source == DType.BOOL) {
      return this == BOOL && source == DType.BOOL;
    }
    return isFloating() == source.isFloating();
  }

  /** The stored type that keeps a tensor of {@code dtype} exactly: its own. */
  public static StoredDType defaultFor(DType dtype) {
    return switch (dtype) {
      case F32 -> F32;
      case F64 -> F64;
      case I32 -> I32;
      case I64 -> I64;
      case BOOL -> BOOL;
    };
  }

  /** Smallest integer value this type stores (integer and BOOL types). */
  long min() {
    return min;
  }

  /** Largest integer value this type stores, capped at 2⁶³−1 (integer and BOOL types). */
  long max() {
    return max;
  }

  /** The constant named {@code name} exactly (case-sensitive), or null. */
  static StoredDType named(String name) {
    for (StoredDType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** "BOOL, U8, …, U64" for error messages. */
  static String supportedNames() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
