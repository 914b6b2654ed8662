package org.incipit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A PyTorch child process that runs workloads on command (bench/python/workloads.py). */
final class Torch implements AutoCloseable {
  static final Path SCRIPT = Path.of("bench", "python", "workloads.py");

  private final String python;
  private final int threads;
  private final Process process;
  private final Writer in;
  private final BufferedReader out;

  Torch(String python, int threads) throws IOException {
    this.python = python;
    this.threads = threads;
    this.process = start(python, threads);
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  private static Process start(String python, int threads) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(python, SCRIPT.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().remove("OPENBLAS_CORETYPE"); // halves OpenBLAS's speed when set
    pb.environment().remove("OPENBLAS_L2_SIZE");
    pb.environment().putAll(Compare.childEnvironment(threads));
    return pb.start();
  }

  /** The first of python3 and /usr/bin/python3 that imports torch, or null. */
  static String findPython() {
    if (!Files.exists(SCRIPT)) {
      return null;
    }
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p = new ProcessBuilder(candidate, "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException | InterruptedException e) {
        // not this one
      }
    }
    return null;
  }

  /** Seconds per iteration of {@code n} iterations of {@code workload}. */
  List<Double> run(String workload, int n) throws IOException {
    in.write(workload + " " + n + "\n");
    in.flush();
    String line = out.readLine();
    if (line == null) {
      throw new IOException("the PyTorch process ended early");
    }
    List<Double> t = new ArrayList<>();
    for (String s : Compare.split(line)) {
      t.add(Double.parseDouble(s));
    }
    return t;
  }

  /** The peak RSS of a separate PyTorch process that runs only {@code workload}. */
  long separateRss(String workload, int steps) throws IOException {
    try (Torch t = new Torch(python, threads)) {
      t.run(workload, steps);
      t.in.write("rss\n");
      t.in.flush();
      return Long.parseLong(t.out.readLine().trim());
    }
  }

  @Override
  public void close() throws IOException {
    try {
      in.write("quit\n");
      in.flush();
    } catch (IOException e) {
      // already gone
    }
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroy();
  }
}
