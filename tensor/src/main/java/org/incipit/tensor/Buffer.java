package org.incipit.tensor;

/**
 * Memory owned by a {@link Backend}: {@code size()} contiguous elements of one {@link DType}.
 *
 * <p>Buffers are immutable once a backend has returned them to a caller, with one exception that
 * stays inside the engine: {@link Backend#scatterStrided} writes into a buffer its caller has just
 * allocated and not yet shared. Closing a buffer releases device memory deterministically; CPU
 * buffers live on the Java heap and closing them does nothing. Device backends register every
 * buffer they return with the current {@link MemoryScope}; see there for who owns what.
 */
public interface Buffer extends AutoCloseable {
  DType dtype();

  /** Number of elements. */
  int size();

  /** The backend that owns this buffer. */
  Backend backend();

  @Override
  default void close() {}
}
