package org.incipit.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.init.Fans;
import org.incipit.init.Initializer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A container of parameters and child modules, registered explicitly and in order, so paths are
 * deterministic ({@code blocks.0.attn.wq}).
 *
 * <p>Randomness convention: a module is built with its own {@link Rng} stream; it draws parameter
 * {@code name} from {@code rng.fork(name)} and builds child {@code name} with {@code rng.fork(name)}.
 * A parameter's values therefore depend only on (seed, path) — never on construction order — and
 * {@link #reset} redraws every parameter from the stream its path names.
 */
public abstract class Module {
  private final Map<String, Parameter> params = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  /** Registers a parameter drawn from {@code init} with the given fans and the stream {@code rng.fork(name)}. */
  protected final Parameter param(String name, Shape shape, Initializer init, Fans fans, Rng rng) {
    checkName(name);
    Parameter p = new Parameter(shape, init, fans, rng.fork(name));
    params.put(name, p);
    return p;
  }

  /** Registers a parameter whose fans come from its own shape ([out, in, k…]; rank ≥ 2). */
  protected final Parameter param(String name, Shape shape, Initializer init, Rng rng) {
    return param(name, shape, init, shape.rank() >= 2 ? Fans.of(shape) : new Fans(shape.numel(), shape.numel()), rng);
  }

  /** Registers a child module under {@code name}; build it with {@code rng.fork(name)}. */
  protected final <M extends Module> M child(String name, M module) {
    checkName(name);
    children.put(name, module);
    return module;
  }

  private void checkName(String name) {
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException("a parameter or module name must be non-empty and without dots: '" + name + "'");
    }
    if (params.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
    }
  }

  /** Every parameter of this module and its descendants by path, in registration order. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out);
    return Collections.unmodifiableMap(out);
  }

  private void collect(String prefix, Map<String, Parameter> out) {
    params.forEach((n, p) -> out.put(prefix + n, p));
    children.forEach((n, c) -> c.collect(prefix + n + ".", out));
  }

  /** The parameters in path order. */
  public final List<Parameter> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** The direct children by name. */
  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** This module and every descendant by path ("" for this one). */
  public final Map<String, Module> namedModules() {
    Map<String, Module> out = new LinkedHashMap<>();
    out.put("", this);
    children.forEach((n, c) -> c.namedModules().forEach((p, m) -> out.put(p.isEmpty() ? n : n + "." + p, m)));
    return out;
  }

  /** How every parameter was initialized: scheme, fans, promised and measured std, random stream (see {@link InitReport}). */
  public final InitReport initReport() {
    return InitReport.of(this);
  }

  /** Total number of parameter elements. */
  public final long parameterCount() {
    long n = 0;
    for (Parameter p : namedParameters().values()) {
      n += p.shape().numel();
    }
    return n;
  }

  /** Training mode (dropout active) for this module and its descendants. */
  public Module train() {
    setTraining(true);
    return this;
  }

  /** Evaluation mode (dropout off). */
  public Module eval() {
    setTraining(false);
    return this;
  }

  private void setTraining(boolean t) {
    training = t;
    children.values().forEach(c -> c.setTraining(t));
  }

  public final boolean isTraining() {
    return training;
  }

  /** Converts every parameter to {@code dtype} on {@code device}. */
  public Module to(DType dtype, Device device) {
    namedParameters().values().forEach(p -> p.convert(dtype, device));
    return this;
  }

  /**
   * Redraws every parameter from its own recorded initializer with {@code rng.fork(path)}, as at
   * construction: a module built with the same root stream gets its initial values back, special
   * inits included (they are the parameters' recorded initializers).
   */
  public final void reset(Rng rng) {
    namedParameters().forEach((path, p) -> p.reset(forkPath(rng, path)));
  }

  /** Redraws every parameter from its recorded initializer and recorded stream (see {@link Parameter#reset()}). */
  public final void reset() {
    namedParameters().values().forEach(Parameter::reset);
  }

  /**
   * An initialization pass: for every parameter, {@code rule} names a new initializer (or null to
   * keep the parameter as it is), and the parameter is redrawn from it with the stream of its
   * path. The rule sees the full path, so special inits are targeted, never clobbered by a
   * generic pass (zoology#32, transformers#45591). Returns the paths it redrew.
   */
  public final java.util.List<String> reinitialize(Rng rng, java.util.function.BiFunction<String, Parameter, Initializer> rule) {
    java.util.List<String> done = new java.util.ArrayList<>();
    namedParameters().forEach((path, p) -> {
      Initializer init = rule.apply(path, p);
      if (init != null) {
        p.reinitialize(init, forkPath(rng, path));
        done.add(path);
      }
    });
    return done;
  }

  /** {@code rng.fork(a).fork(b)…} for the path "a.b…": the stream a parameter was drawn from. */
  public static Rng forkPath(Rng rng, String path) {
    Rng r = rng;
    for (String part : path.split("\\.")) {
      r = r.fork(part);
    }
    return r;
  }

  /**
   * Runs {@code body} with the parameters at the given paths replaced by the given tensors, kept
   * in their own graphs (not detached), then restores the previous values — a functional call, as
   * torch.func.functional_call: gradients then flow to the given tensors.
   */
  public final <T> T withParameters(Map<String, Tensor> values, java.util.function.Supplier<T> body) {
    Map<String, Parameter> mine = namedParameters();
    Map<Parameter, Tensor> previous = new LinkedHashMap<>();
    try {
      values.forEach((path, t) -> {
        Parameter p = mine.get(path);
        if (p == null) {
          throw new IllegalArgumentException("no parameter '" + path + "' in " + getClass().getSimpleName());
        }
        previous.put(p, p.bind(t));
      });
      return body.get();
    } finally {
      previous.forEach(Parameter::bind);
    }
  }

  /** The parameter values by path (for checkpoints). */
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    namedParameters().forEach((n, p) -> out.put(n, p.value().detach()));
    return out;
  }

  /**
   * Assigns every parameter from {@code state}. Missing or unexpected names and shape mismatches
   * are errors that list them; nothing is assigned unless everything matches.
   */
  public final void loadStateDict(Map<String, Tensor> state) {
    Map<String, Parameter> mine = namedParameters();
    List<String> problems = new ArrayList<>();
    mine.forEach((n, p) -> {
      Tensor t = state.get(n);
      if (t == null) {
        problems.add("missing '" + n + "'");
      } else if (!t.shape().equals(p.shape())) {
        problems.add("'" + n + "' has shape " + t.shape() + ", expected " + p.shape());
      }
    });
    state.keySet().stream().filter(n -> !mine.containsKey(n)).forEach(n -> problems.add("unexpected '" + n + "'"));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("state does not fit " + getClass().getSimpleName() + ": " + String.join(", ", problems));
    }
    mine.forEach((n, p) -> p.assign(state.get(n)));
  }
}
