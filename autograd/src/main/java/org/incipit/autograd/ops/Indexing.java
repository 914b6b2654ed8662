package org.incipit.autograd.ops;

import java.util.function.Supplier;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;

/** Checks shared by the index primitives. */
final class Indexing {
  private Indexing() {}

  /** Throws unless {@code index} is an I64/I32 tensor. */
  static void requireIndex(String op, Tensor index) {
    if (index.dtype() != DType.I64 && index.dtype() != DType.I32) {
      throw new IllegalArgumentException(op + ": index must be an integer tensor (I64 or I32), got " + index.dtype());
    }
  }

  /** Runs a backend index kernel, prefixing its index errors with the op name. */
  static Buffer run(String op, Supplier<Buffer> kernel) {
    try {
      return kernel.get();
    } catch (IndexOutOfBoundsException e) {
      IndexOutOfBoundsException named = new IndexOutOfBoundsException(op + ": " + e.getMessage());
      named.initCause(e);
      throw named;
    }
  }
}
