package org.incipit.tensor;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Deterministic release of device memory: every buffer a device backend allocates on this thread
 * while a scope is open belongs to the innermost open scope, and is closed when that scope closes —
 * unless it was {@linkplain #keep kept}.
 *
 * <pre>{@code
 * Tensor w = ...;                                   // a parameter, owned by the caller
 * for (int step = 0; step < steps; step++) {
 *   try (MemoryScope scope = MemoryScope.open()) {
 *     Tensor loss = model(w, x).sub(y).square().mean();
 *     Tensor next = w.sub(loss.backward().of(w).mul(lr)).detach();
 *     scope.keep(next.buffer());                     // survives the scope
 *     w.buffer().close();                            // the old value has one owner: us
 *     w = next;
 *   }                                                // every temporary of the step is released here
 * }
 * }</pre>
 *
 * <p>The contract:
 * <ul>
 *   <li><b>One owner.</b> A buffer allocated inside a scope is owned by that scope; one allocated
 *       with no scope open is owned by whoever holds it, and is released by {@link Buffer#close()}
 *       or, as a fallback only, by a {@link java.lang.ref.Cleaner} once it is unreachable.</li>
 *   <li><b>keep</b> moves a buffer from this scope to the enclosing scope, or makes it unscoped at
 *       the outermost scope. Keeping a buffer this scope does not own (allocated earlier, or kept
 *       already) does nothing.</li>
 *   <li><b>Nesting.</b> Scopes are per thread and close innermost first; closing another scope
 *       than the innermost, or from another thread, is an {@link IllegalStateException}.</li>
 *   <li><b>Closing</b> a scope, or a buffer, twice is harmless. Using a closed buffer (reading it or
 *       passing it to an op) throws an {@link IllegalStateException} that says it was closed.
 *       Views share their buffer: closing it invalidates every tensor over it.</li>
 *   <li>CPU buffers live on the Java heap: the CPU backend does not register them and closing them
 *       does nothing, so code written with scopes runs unchanged on every device.</li>
 * </ul>
 */
public final class MemoryScope implements AutoCloseable {
  private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

  private final MemoryScope parent;
  private final Thread thread;
  private final Set<Buffer> owned = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean closed;

  private MemoryScope(MemoryScope parent) {
    this.parent = parent;
    this.thread = Thread.currentThread();
  }

  /** Opens a scope nested in this thread's innermost open scope (if any). */
  public static MemoryScope open() {
    MemoryScope s = new MemoryScope(CURRENT.get());
    CURRENT.set(s);
    return s;
  }

  /** This thread's innermost open scope, or {@code null}. */
  public static MemoryScope current() {
    return CURRENT.get();
  }

  /**
   * Hands a newly allocated buffer to this thread's innermost open scope; does nothing when none is
   * open. Called by device backends for every buffer they return, never by users.
   */
  public static void register(Buffer buffer) {
    MemoryScope s = CURRENT.get();
    if (s != null) {
      s.owned.add(buffer);
    }
  }

  /**
   * Moves {@code buffer} out of this scope: to the enclosing scope, or to the caller when this is
   * the outermost scope. Returns the buffer.
   */
  public <B extends Buffer> B keep(B buffer) {
    checkOpen("keep");
    if (owned.remove(buffer) && parent != null) {
      parent.owned.add(buffer);
    }
    return buffer;
  }

  /** Number of buffers this scope still owns. */
  public int size() {
    return owned.size();
  }

  /** True when this scope owns {@code buffer}. */
  public boolean owns(Buffer buffer) {
    return owned.contains(buffer);
  }

  /** Closes every buffer this scope owns and makes the enclosing scope current again. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("a MemoryScope must be closed by the thread that opened it (" + thread.getName()
          + "), not " + Thread.currentThread().getName());
    }
    if (CURRENT.get() != this) {
      throw new IllegalStateException("MemoryScope closed out of order: an inner scope is still open");
    }
    closed = true;
    CURRENT.set(parent);
    RuntimeException first = null;
    for (Buffer b : owned) {
      try {
        b.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    owned.clear();
    if (first != null) {
      throw first;
    }
  }

  private void checkOpen(String what) {
    if (closed) {
      throw new IllegalStateException("MemoryScope." + what + ": the scope is already closed");
    }
  }
}
