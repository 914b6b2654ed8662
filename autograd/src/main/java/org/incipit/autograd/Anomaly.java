package org.incipit.autograd;

/**
 * Anomaly mode: off by default; inside a scope every op checks its result (forward) and every
 * backward rule checks the gradients it returns, and the first one holding NaN or ±Inf throws an
 * {@link AnomalyException} naming the op and the shapes of its inputs. Costs one host read per op.
 *
 * <pre>{@code
 * try (Anomaly ignored = Anomaly.detect()) {
 *   loss.backward();
 * }
 * }</pre>
 */
public final class Anomaly implements AutoCloseable {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

  private boolean closed;

  private Anomaly() {
    DEPTH.get()[0]++;
  }

  /** Turns anomaly detection on for this thread until the scope is closed. */
  public static Anomaly detect() {
    return new Anomaly();
  }

  public static boolean isActive() {
    return DEPTH.get()[0] > 0;
  }

  /** Runs a backward rule with {@code context} ("backward of op 'sqrt'") named in any anomaly it raises. */
  static <T> T within(String context, java.util.function.Supplier<T> body) {
    String outer = CONTEXT.get();
    CONTEXT.set(context);
    try {
      return body.get();
    } finally {
      CONTEXT.set(outer);
    }
  }

  /** Throws when {@code t} is a float tensor holding NaN or ±Inf; {@code what} names the producer. */
  static void check(Tensor t, String what, Tensor[] inputs) {
    if (!t.dtype().isFloating()) {
      return;
    }
    double[] v = t.toDoubles();
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        StringBuilder shapes = new StringBuilder();
        for (Tensor in : inputs) {
          if (shapes.length() > 0) {
            shapes.append(", ");
          }
          shapes.append(in == null ? "none" : in.shape().toString());
        }
        String where = CONTEXT.get() == null ? "" : "in " + CONTEXT.get() + ": ";
        throw new AnomalyException(where + what + " produced " + v[i] + " at flat index " + i + " of its "
            + t.shape() + " result; input shapes: (" + shapes + ")");
      }
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
