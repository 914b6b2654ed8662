package org.incipit.tensor;

/**
 * The element type of a tensor. Float32 is the default; float64 exists for gradient checks and
 * float64 oracles; integer and boolean tensors hold indices, class targets and masks and are never
 * differentiable.
 *
 * <p>Promotion for binary ops follows PyTorch for the types we have: two floats give the wider
 * float, a float and an integer/bool give the float, two integers give I64, two bools give BOOL.
 */
public enum DType {
  F32(4, true),
  F64(8, true),
  I32(4, false),
  I64(8, false),
  BOOL(1, false);

  private final int bytes;
  private final boolean floating;

  DType(int bytes, boolean floating) {
    this.bytes = bytes;
    this.floating = floating;
  }

  /** Size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  /** True for F32 and F64, the only types that take gradients. */
  public boolean isFloating() {
    return floating;
  }

  /** The result type of a binary op between {@code a} and {@code b}. */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if (a.floating || b.floating) {
      return (a == F64 || b == F64) ? F64 : F32;
    }
    if (a == BOOL) {
      return b;
    }
    if (b == BOOL) {
      return a;
    }
    return I64;
  }
}
