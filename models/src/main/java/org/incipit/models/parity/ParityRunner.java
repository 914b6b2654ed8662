package org.incipit.models.parity;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Device;

/**
 * Runs PyTorch-parity fixture files (the formats of {@code shared/fixtures/README.md}): op cases and
 * optimizer trajectories (see {@link OptimTrajectories}) on each device, {@code init_rules} and
 * {@code init_schemes} files once (see {@link InitRules}, {@link InitSchemeCases}); a file of any
 * other kind is skipped with a line saying so ({@link #skipLine}).
 *
 * <p>An op case passes when the output and every listed gradient match within the case's
 * tolerance; an {@code expect_error} case passes when the op throws an
 * {@link IllegalArgumentException}, {@link IndexOutOfBoundsException} (not a raw array index
 * error) or {@link ArithmeticException} with a message — never a result.
 */
public final class ParityRunner {
  private ParityRunner() {}

  /** The outcome of one case on one device; {@code message} is null when it passed. */
  public record Result(String file, String name, String device, String message) {
    /**
     * Runs one case: {@code check} returns null when the case passes, else what differs; an exception
     * it throws fails the case with "threw" and the exception, so one broken case never stops a run.
     */
    public static Result of(String file, String name, String device, Supplier<String> check) {
      String message;
      try {
        message = check.get();
      } catch (RuntimeException e) {
        message = "threw " + e;
      }
      return new Result(file, name, device, message);
    }

    public boolean passed() {
      return message == null;
    }

    @Override
    public String toString() {
      return "[" + device + "] " + file + " " + name + (passed() ? ": ok" : ": FAILED: " + message);
    }
  }

  /** The fixture files of {@code dir} (every *.json, sorted), or {@code dir} itself when it is a file. */
  public static List<Path> files(Path dir) throws IOException {
    if (Files.isRegularFile(dir)) {
      return List.of(dir);
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** {@link #runAll(Path, List, Consumer)} printing each skip line to standard output. */
  public static List<Result> runAll(Path dir, List<Device> devices) throws IOException {
    return runAll(dir, devices, System.out::println);
  }

  /** What {@code incipit parity} says about a fixture file whose kind it does not run. */
  public static String skipLine(String file, String kind) {
    return "skipped " + file + ": kind " + kind + " is not run by parity";
  }

  /**
   * Runs every case of every fixture file under {@code dir} on each of {@code devices}; cases that
   * need no device (init rules) run once, labelled "host"; a file of a kind not run here is handed
   * to {@code skipped} as its {@link #skipLine}, never dropped in silence.
   */
  public static List<Result> runAll(Path dir, List<Device> devices, Consumer<String> skipped) throws IOException {
    List<Result> all = new ArrayList<>();
    for (Path f : files(dir)) {
      JsonObject root = Fixtures.read(f);
      String kind = kind(root);
      if (kind.equals("init_rules")) {
        all.addAll(InitRules.run(f.getFileName().toString(), root));
      } else if (kind.equals("init_schemes") || kind.equals("init_scheme_values")) { // the file says the latter
        all.addAll(InitSchemeCases.run(f.getFileName().toString(), root));
      } else if (kind.equals("lora_inits")) {
        all.addAll(LoraInitCases.run(f.getFileName().toString(), root));
      } else if (kind.equals("optimizer_trajectory")) {
        for (Device d : devices) {
          all.addAll(OptimTrajectories.run(f.getFileName().toString(), root, d));
        }
      } else if (kind.equals("op")) {
        for (Device d : devices) {
          all.addAll(runOps(f.getFileName().toString(), root, d));
        }
      } else {
        skipped.accept(skipLine(f.getFileName().toString(), kind));
      }
    }
    return all;
  }

  /** The format of a fixture file: "op", the value of its "kind", or "unknown". */
  public static String kind(JsonObject root) {
    if (root.has("op") && root.has("cases")) {
      return "op";
    }
    return root.has("kind") ? root.get("kind").getAsString() : "unknown";
  }

  /** Every case of one op file on one device. */
  public static List<Result> runOps(String file, JsonObject root, Device device) {
    List<Result> out = new ArrayList<>();
    String op = root.get("op").getAsString();
    for (JsonElement c : root.getAsJsonArray("cases")) {
      out.add(runCase(file, op, c.getAsJsonObject(), device));
    }
    return out;
  }

  /** Runs one op case. */
  public static Result runCase(String file, String op, JsonObject c, Device device) {
    return Result.of(file, caseName(c), device.toString(), () -> check(op, c, device));
  }

  /** A case's {@code name}, or "(unnamed)". */
  static String caseName(JsonObject c) {
    return c.has("name") ? c.get("name").getAsString() : "(unnamed)";
  }

  private static String check(String op, JsonObject c, Device device) {
    Function<OpArgs, Tensor> fn = OpRegistry.get(op);
    if (fn == null) {
      return "unknown op '" + op + "' (known: " + OpRegistry.names() + ")";
    }
    LinkedHashMap<String, Tensor> inputs = new LinkedHashMap<>();
    for (JsonElement e : c.getAsJsonArray("inputs")) {
      JsonObject in = e.getAsJsonObject();
      Tensor t = Fixtures.tensor(in, device);
      boolean grad = in.has("requires_grad") && in.get("requires_grad").getAsBoolean();
      inputs.put(in.get("name").getAsString(), grad ? t.withGrad() : t);
    }
    OpArgs args = new OpArgs(inputs, c.has("attrs") ? c.getAsJsonObject("attrs") : null);
    if (c.has("expect_error")) {
      return expectError(fn, args, c.get("expect_error").getAsString());
    }
    Fixtures.Tolerance tol = Fixtures.Tolerance.of(c);
    Tensor out = fn.apply(args);
    String bad = tol.compare("output", out, c.getAsJsonObject("output"));
    if (bad != null || !c.has("grads")) {
      return bad;
    }
    Gradients g = c.has("grad_output")
        ? out.backward(Fixtures.tensor(withDtype(c.getAsJsonObject("grad_output"), "float64"), device).cast(out.dtype()))
        : out.backward();
    for (Map.Entry<String, JsonElement> e : c.getAsJsonObject("grads").entrySet()) {
      Tensor input = inputs.get(e.getKey());
      if (input == null) {
        return "grads name '" + e.getKey() + "' is not an input";
      }
      bad = tol.compare("grad of " + e.getKey(), g.orZeros(input), e.getValue().getAsJsonObject());
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  private static String expectError(Function<OpArgs, Tensor> fn, OpArgs args, String expected) {
    try {
      Tensor out = fn.apply(args);
      out.toDoubles();
      return "expected an error (" + expected + ") but got a result of shape " + out.shape();
    } catch (ArrayIndexOutOfBoundsException e) {
      return "expected a clear error (" + expected + ") but got a raw " + e;
    } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
      return e.getMessage() == null || e.getMessage().isBlank()
          ? "expected an error naming the problem (" + expected + ") but the message is empty" : null;
    } catch (RuntimeException e) {
      return "expected a clear error (" + expected + ") but got " + e;
    }
  }

  private static JsonObject withDtype(JsonObject t, String dtype) {
    if (t.has("dtype")) {
      return t;
    }
    JsonObject copy = t.deepCopy();
    copy.addProperty("dtype", dtype);
    return copy;
  }
}
