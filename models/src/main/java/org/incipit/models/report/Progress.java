package org.incipit.models.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Progress of a training loop: a live bar (me.tongfei:progressbar) when standard output is a
 * terminal, and plain lines such as {@code glorot2010: step 120/1000 loss 2.314} otherwise, so CI
 * logs stay readable. Not thread-safe: call it from the training loop.
 *
 * <p>Plain mode prints a line at the first step, whenever another tenth of the total is reached,
 * and whenever {@code every} has passed since the last line; {@link #close()} prints {@code name:
 * finished N steps in 12.3 s} (or {@code name: stopped at step k/N after 12.3 s}).
 *
 * <pre>
 *   try (Progress progress = Progress.start("glorot2010", steps)) {
 *     for (int step = 1; step &lt;= steps; step++) {
 *       double loss = trainStep();
 *       progress.step(step, "loss " + Table.format(loss));
 *     }
 *   }
 * </pre>
 */
public final class Progress implements AutoCloseable {
  /** The time between two plain lines at most (besides the 10 % marks), in {@link #start}. */
  public static final Duration PLAIN_EVERY = Duration.ofSeconds(30);

  private final String name;
  private final long total;
  private final ProgressBar bar;
  private final PrintStream out;
  private final long everyNanos;
  private final long startNanos = System.nanoTime();
  private long lastLineNanos;
  private long done;
  private long lineDone = -1;
  private int lineTenth;
  private String extra = "";
  private boolean closed;

  private Progress(String name, long total, ProgressBar bar, PrintStream out, Duration every) {
    this.name = Objects.requireNonNull(name, "name");
    if (total <= 0) {
      throw new IllegalArgumentException("progress '" + name + "': total must be positive, got " + total);
    }
    this.total = total;
    this.bar = bar;
    this.out = out;
    this.everyNanos = every.toNanos();
    this.lastLineNanos = startNanos;
  }

  /**
   * A bar on standard output when it is a terminal ({@code System.console() != null}), else plain
   * lines on standard output every 10 % and at least every {@link #PLAIN_EVERY}.
   *
   * @param name shown before each line or the bar, usually the study's name
   * @param total the number of steps
   */
  public static Progress start(String name, long total) {
    if (System.console() == null) {
      return plain(name, total, System.out, PLAIN_EVERY);
    }
    if (total <= 0) {
      throw new IllegalArgumentException("progress '" + name + "': total must be positive, got " + total);
    }
    // Standard output, not the library's default standard error: the incipit launcher pipes
    // stderr through grep, which would hold a bar's carriage-return updates back.
    ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
        .setUpdateIntervalMillis(200).setConsumer(new ConsoleProgressBarConsumer(System.out)).build();
    return new Progress(name, total, bar, null, Duration.ZERO);
  }

  /**
   * Plain lines on {@code out}: at the first step, at every further 10 % of {@code total}, and
   * whenever {@code every} has passed since the last line.
   */
  public static Progress plain(String name, long total, PrintStream out, Duration every) {
    Objects.requireNonNull(out, "out");
    if (every.isNegative()) {
      throw new IllegalArgumentException("progress '" + name + "': negative interval " + every);
    }
    return new Progress(name, total, null, out, every);
  }

  /**
   * Reports that {@code n} steps of the total are done (a count, not an increment: pass the loop's
   * step number), with a short message such as {@code "loss 2.314"}.
   *
   * @param n steps done so far, ≥ 0; may exceed the total when a loop runs long
   * @param extraMessage appended to the line or shown beside the bar; null or empty for none
   */
  public void step(long n, String extraMessage) {
    if (closed) {
      throw new IllegalStateException("progress '" + name + "' is closed");
    }
    if (n < 0) {
      throw new IllegalArgumentException("progress '" + name + "': negative step " + n);
    }
    done = n;
    extra = extraMessage == null ? "" : extraMessage;
    if (bar != null) {
      bar.setExtraMessage(extra);
      bar.stepTo(n);
      return;
    }
    long now = System.nanoTime();
    int tenth = (int) Math.min(10, n * 10 / total);
    boolean first = lineDone < 0;
    if (n != lineDone && (first || tenth > lineTenth || now - lastLineNanos >= everyNanos)) {
      out.println(name + ": step " + n + "/" + total + (extra.isEmpty() ? "" : " " + extra));
      out.flush();
      lineDone = n;
      lineTenth = tenth;
      lastLineNanos = now;
    }
  }

  /** Steps done so far, as last reported. */
  public long done() {
    return done;
  }

  /** Ends the bar, or prints the closing line in plain mode. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (bar != null) {
      bar.close();
      return;
    }
    String seconds = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    out.println(done >= total
        ? name + ": finished " + done + " steps in " + seconds
        : name + ": stopped at step " + done + "/" + total + " after " + seconds);
    out.flush();
  }
}
