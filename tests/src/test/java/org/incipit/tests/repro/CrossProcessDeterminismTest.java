package org.incipit.tests.repro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed, same bits across processes: {@link ShortTraining} (a tiny char-GPT and the MLP, a few
 * steps each) runs in child JVMs that differ in everything the engine promises not to depend on,
 * and every checkpoint must equal the first byte for byte:
 * <pre>
 *   JIT        -Xint (interpreter only) · -XX:TieredStopAtLevel=1 (C1 only) · default (C1 + C2)
 *   threads    -Dincipit.threads=1 · 2
 *   vectors    --add-modules jdk.incubator.vector · -Dincipit.vector=false (plain Java kernels)
 *   flags      the launcher's jvm.options (forced inlining of VectorMath, fixed young generation) · none
 * </pre>
 * Inside one warmed-up JVM ({@code DeterminismTest}) an intrinsic that differs from its Java
 * fallback goes unseen, because the same compiled code runs both times; a fresh interpreter does
 * not. The children run two at a time; the interpreted ones dominate (a few seconds each).
 */
class CrossProcessDeterminismTest {
  private static final long STEPS = 3;

  private static final Map<String, List<String>> VARIANTS = new LinkedHashMap<>();

  static {
    VARIANTS.put("default, 2 threads", List.of("-Dincipit.threads=2"));
    VARIANTS.put("C1 only, 1 thread", List.of("-XX:TieredStopAtLevel=1", "-Dincipit.threads=1"));
    VARIANTS.put("interpreter, 1 thread", List.of("-Xint", "-Dincipit.threads=1"));
    VARIANTS.put("interpreter, 2 threads", List.of("-Xint", "-Dincipit.threads=2"));
    VARIANTS.put("no vector module, 2 threads", List.of("-Dincipit.vector=false", "-Dincipit.threads=2"));
    VARIANTS.put("the launcher's jvm.options, 1 thread", List.of("jvm.options", "-Dincipit.threads=1"));
  }

  @Test
  void checkpointsAreIdenticalAcrossJitStatesThreadsAndVectorSupport(@TempDir Path dir) throws Exception {
    List<Child> children = new ArrayList<>();
    for (String model : List.of("gpt", "mlp")) {
      for (Map.Entry<String, List<String>> v : VARIANTS.entrySet()) {
        children.add(new Child(model, v.getKey(), v.getValue(), dir.resolve(model + children.size() + ".safetensors")));
      }
    }
    for (int i = 0; i < children.size(); i += 2) { // two at a time: the machine has 2 cores
      children.get(i).start();
      if (i + 1 < children.size()) {
        children.get(i + 1).start();
        children.get(i + 1).await();
      }
      children.get(i).await();
    }
    for (String model : List.of("gpt", "mlp")) {
      Child first = null;
      for (Child c : children) {
        if (!c.model.equals(model)) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(c.out);
        assertTrue(bytes.length > 1000, c + ": checkpoint of " + bytes.length + " bytes");
        if (first == null) {
          first = c;
        } else {
          assertArrayEquals(Files.readAllBytes(first.out), bytes, c + " differs from " + first);
        }
      }
    }
  }

  /** One child JVM: the test's own java and classpath, plus the variant's flags. */
  private static final class Child {
    final String model;
    final String variant;
    final List<String> command = new ArrayList<>();
    final Path out;
    final Path log;
    Process process;

    Child(String model, String variant, List<String> flags, Path out) {
      this.model = model;
      this.variant = variant;
      this.out = out;
      this.log = out.resolveSibling(out.getFileName() + ".log");
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      if (flags.contains("jvm.options")) {
        command.addAll(launcherFlags());
      } else if (!flags.contains("-Dincipit.vector=false")) {
        command.add("--add-modules=jdk.incubator.vector");
      }
      command.addAll(flags.stream().filter(f -> !f.equals("jvm.options")).toList());
      command.addAll(List.of("-Xss4m", "-cp", System.getProperty("java.class.path"), ShortTraining.class.getName(),
          model, String.valueOf(STEPS), out.toString()));
    }

    private static List<String> launcherFlags() {
      try {
        return JvmOptions.flags();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void start() throws IOException {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    void await() throws Exception {
      if (!process.waitFor(240, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(this + " did not finish in 240 s");
      }
      assertEquals(0, process.exitValue(), () -> this + " failed:\n" + read(log));
    }

    private static String read(Path p) {
      try {
        return Files.readString(p);
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }

    @Override
    public String toString() {
      return model + " (" + variant + ")";
    }
  }
}
