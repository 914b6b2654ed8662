package org.incipit.autograd;

/**
 * A scope in which ops record nothing: results never require gradients. Scopes nest and are
 * per thread.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *   Tensor y = model.forward(x);   // no tape
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private boolean closed;

  private NoGrad() {
    DEPTH.get()[0]++;
  }

  /** Enters a no-grad scope; close it (try-with-resources) to leave. */
  public static NoGrad enter() {
    return new NoGrad();
  }

  /** True inside a no-grad scope on this thread. */
  public static boolean isActive() {
    return DEPTH.get()[0] > 0;
  }

  /** Runs {@code body} without recording and returns its result. */
  public static <T> T run(java.util.function.Supplier<T> body) {
    try (NoGrad ignored = enter()) {
      return body.get();
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      DEPTH.get()[0]--;
    }
  }
}
