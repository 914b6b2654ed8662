package org.incipit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.incipit.tensor.cpu.Gemm;
import org.incipit.tensor.cpu.Parallel;

/**
 * The side-by-side comparison harness: each workload is timed in Incipit and in PyTorch in the same
 * run, alternating blocks of iterations (so both see the same machine state), and the medians and
 * their ratio are printed. PyTorch runs as a child process ({@code bench/python/workloads.py});
 * where no {@code python3} with torch is found it says so and prints Incipit's numbers alone.
 *
 * <p>Usage: {@code bench/compare [rounds]}. The PyTorch child runs tuned as a user would tune it
 * (see {@link #childEnvironment}): the same thread count, glibc's allocator keeping freed memory,
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset. Incipit runs with the {@code incipit} launcher's JVM
 * flags (no fixed heap), so the peak RSS compares what a user sees.
 */
public final class Compare {
  record Workload(String name, int perRound, double flops, String target) {}

  static final List<Workload> WORKLOADS = List.of(
      new Workload("sgemm128", 200, 2.0 * 128 * 128 * 128, "≥ 0.8× PyTorch's GFLOP/s"),
      new Workload("sgemm1024", 4, 2.0 * 1024 * 1024 * 1024, "≥ 0.95× PyTorch's GFLOP/s"),
      new Workload("mlp", 20, 0, "time ≤ 1.0× PyTorch's"),
      new Workload("mlp512", 5, 0, "time ≤ 1.0× PyTorch's"),
      new Workload("gpt", 4, 0, "time ≤ 1.0× PyTorch's"),
      new Workload("gpt-large", 1, 0, "time ≤ 1.0× PyTorch's"),
      new Workload("op", 20, 0, "time ≤ 0.5× PyTorch's (forward)"),
      new Workload("op-backward", 20, 0, "time ≤ 0.5× PyTorch's (forward + backward)"));

  /** Seconds of warm-up per workload before anything is measured. */
  static final double WARMUP = 4.0;

  private Compare() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--rss")) {
      Runnable step = Workloads.named(args[1]);
      for (int i = 0; i < Integer.parseInt(args[2]); i++) {
        step.run();
      }
      System.out.println(peakRss());
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    PrintStream out = System.out;
    String python = Torch.findPython();
    out.printf(Locale.ROOT, "Incipit: %d threads, sgemm %s; PyTorch: %s%n", Parallel.threads(),
        Gemm.sgemmImplementation(), python == null ? "not found (python3 with torch); Incipit only" : python);
    if (python != null) {
      out.printf(Locale.ROOT, "PyTorch child tuned: %s, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset%n",
          childEnvironment(Parallel.threads()));
    }
    try (Torch torch = python == null ? null : new Torch(python, Parallel.threads())) {
      List<String[]> rows = new ArrayList<>();
      for (Workload w : WORKLOADS) {
        rows.add(measure(w, rounds, torch));
      }
      printTable(out, rows, torch != null);
      if (torch != null) {
        out.printf(Locale.ROOT, "peak RSS of the tiny-GPT process: Incipit %s, PyTorch %s%n", mib(childRss()),
            mib(torch.separateRss("gpt", 10)));
      } else {
        out.printf(Locale.ROOT, "peak RSS of the tiny-GPT process: Incipit %s%n", mib(childRss()));
      }
    }
  }

  private static String[] measure(Workload w, int rounds, Torch torch) throws IOException {
    Runnable step = Workloads.named(w.name());
    // Warm-up until the JIT has compiled the hot loops (the Vector API kernels are slow until C2
    // compiles them): at least WARMUP seconds and a full round, on both sides.
    long until = System.nanoTime() + (long) (WARMUP * 1e9);
    int warm = 0;
    while (System.nanoTime() < until || warm < w.perRound()) {
      step.run();
      warm++;
    }
    if (torch != null) {
      double spent = 0;
      while (spent < WARMUP / 2) {
        spent += torch.run(w.name(), w.perRound()).stream().mapToDouble(Double::doubleValue).sum();
      }
    }
    List<Double> mine = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      settle();
      for (int i = 0; i < w.perRound(); i++) {
        long t = System.nanoTime();
        step.run();
        mine.add((System.nanoTime() - t) / 1e9);
      }
      if (torch != null) {
        settle();
        theirs.addAll(torch.run(w.name(), w.perRound()));
      }
    }
    double a = median(mine);
    double b = torch == null ? Double.NaN : median(theirs);
    return new String[] {w.name(), describe(w, a), torch == null ? "—" : describe(w, b),
        torch == null ? "—" : String.format(Locale.ROOT, "%.2f", w.flops() > 0 ? b / a : a / b), w.target()};
  }

  private static String describe(Workload w, double seconds) {
    if (w.flops() > 0) {
      return String.format(Locale.ROOT, "%.1f GFLOP/s", w.flops() / seconds / 1e9);
    }
    if (w.name().startsWith("op")) {
      return String.format(Locale.ROOT, "%.2f µs/op", seconds * 1e6 / 1000);
    }
    return String.format(Locale.ROOT, "%.2f ms/step", seconds * 1e3);
  }

  private static void printTable(PrintStream out, List<String[]> rows, boolean both) {
    String[] head = {"workload", "Incipit (median)", "PyTorch (median)",
        "ratio Incipit ÷ PyTorch", "target"};
    int[] width = new int[head.length];
    List<String[]> all = new ArrayList<>();
    all.add(head);
    all.addAll(rows);
    for (String[] r : all) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : all) {
      StringBuilder sb = new StringBuilder("| ");
      for (int i = 0; i < r.length; i++) {
        sb.append(String.format("%-" + width[i] + "s | ", r[i]));
      }
      out.println(sb.toString().stripTrailing());
      if (r == head) {
        StringBuilder sep = new StringBuilder("|");
        for (int wdt : width) {
          sep.append("-".repeat(wdt + 2)).append("|");
        }
        out.println(sep);
      }
    }
  }

  /**
   * A pause before each timed block, so that neither engine's idle worker threads are still
   * spinning when the other one is timed (OpenBLAS's threads busy-wait for up to ~0.1 s after a
   * call, which would otherwise steal a core from the next Incipit block).
   */
  private static void settle() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  /** Peak resident set size of this process (VmHWM), or −1 off Linux. */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** The peak RSS of a child JVM that runs only the tiny-GPT workload for 10 steps. */
  private static long childRss() throws IOException, InterruptedException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(javaBin));
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Compare.class.getName(), "--rss", "gpt", "10"));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String line;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      line = r.readLine();
    }
    p.waitFor();
    return line == null ? -1 : Long.parseLong(line.trim());
  }

  static String mib(long bytes) {
    return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  /**
   * PyTorch at its best on this machine: the same thread count, and glibc's allocator told to keep
   * freed memory (by default it returns it, and every step then pays ~10 µs a page to fault its
   * gradients back in). {@link Torch} also removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which
   * pin an old, slower OpenBLAS kernel.
   */
  static Map<String, String> childEnvironment(int threads) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("INCIPIT_BENCH_THREADS", String.valueOf(threads));
    env.put("OMP_NUM_THREADS", String.valueOf(threads));
    env.put("MALLOC_MMAP_THRESHOLD_", "1000000000");
    env.put("MALLOC_TRIM_THRESHOLD_", "100000000000");
    return env;
  }

  static List<String> split(String line) {
    return Arrays.asList(line.trim().split("\\s+"));
  }
}
