package org.incipit.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Parameter;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Shape;

/**
 * The machinery every optimizer here shares: groups, per-path state, the step loop, the lr
 * factor, state bytes and the state dict. A subclass supplies the update of one tensor and the
 * names of the state slots a parameter has once it has been stepped.
 */
abstract class GroupedOptimizer<H extends Hyperparameters<H>> implements Optimizer {
  static final String STEPS = "steps";

  /** One parameter's state: tensor slots (moments, buffers) and scalar slots (step, g-SNR). */
  static final class ParamState {
    final Map<String, Tensor> tensors = new LinkedHashMap<>();
    final Map<String, Double> scalars = new LinkedHashMap<>();
    /**
     * Slots whose tensor this optimizer allocated itself and has not handed out since: no one else
     * holds it, so the next update may overwrite it in place instead of allocating a new one (an
     * MLP step's AdamW ran ~10 % of the step faster). {@link #stateDict} hands every slot out.
     */
    private final Set<String> owned = new HashSet<>();

    /** Sets a slot to a tensor that others may hold (a gradient, a loaded state, an op's result). */
    void put(String slot, Tensor t) {
      tensors.put(slot, t);
      owned.remove(slot);
    }

    /** Sets a slot to a tensor this optimizer allocated and no one else holds. */
    void putOwned(String slot, Tensor t) {
      tensors.put(slot, t);
      owned.add(slot);
    }

    /** True when every one of {@code slots} holds a tensor only this optimizer holds. */
    boolean owns(String... slots) {
      for (String slot : slots) {
        if (!owned.contains(slot)) {
          return false;
        }
      }
      return true;
    }

    long bytes() {
      long b = 8L * scalars.size();
      for (Tensor t : tensors.values()) {
        b += (long) t.numel() * t.dtype().bytes();
      }
      return b;
    }
  }

  private final List<ParamGroup<H>> groups;
  private final Map<String, Parameter> params = new LinkedHashMap<>();
  private final Map<String, H> hyperOf = new LinkedHashMap<>();
  private final Map<String, ParamState> state = new LinkedHashMap<>();
  private double lrFactor = 1.0;
  private long steps;

  GroupedOptimizer(List<ParamGroup<H>> groups) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("an optimizer needs at least one parameter group");
    }
    this.groups = List.copyOf(groups);
    Map<Parameter, String> seen = new IdentityHashMap<>();
    for (ParamGroup<H> g : this.groups) {
      g.params().forEach((path, p) -> {
        if (params.containsKey(path)) {
          throw new IllegalArgumentException("parameter path '" + path + "' appears in more than one group");
        }
        String other = seen.put(p, path);
        if (other != null) {
          throw new IllegalArgumentException("one parameter appears twice, as '" + other + "' and '" + path + "'");
        }
        if (path.equals(STEPS)) {
          throw new IllegalArgumentException("'" + STEPS + "' is reserved in optimizer state; rename the parameter");
        }
        params.put(path, p);
        hyperOf.put(path, g.hyper());
      });
    }
  }

  /**
   * The next value of one parameter. Runs under {@link NoGrad}; reads and updates {@code s}.
   *
   * @param p the current value (detached)
   * @param g its gradient (detached; same shape and dtype)
   * @param lr the effective learning rate, {@code h.lr() · lrFactor}
   */
  abstract Tensor update(Tensor p, Tensor g, ParamState s, H h, double lr);

  /** The tensor slots a stepped parameter with hyperparameters {@code h} holds. */
  abstract List<String> tensorSlots(H h);

  /** The scalar slots a stepped parameter with hyperparameters {@code h} holds. */
  abstract List<String> scalarSlots(H h);

  /** The groups, in order. */
  public final List<ParamGroup<H>> groups() {
    return groups;
  }

  @Override
  public final Map<String, Parameter> parameters() {
    return Collections.unmodifiableMap(params);
  }

  @Override
  public final void step(Gradients grads) {
    // Read and check every gradient first: a gradient is found by the value its parameter had at
    // backward time, and a bad one must not leave the step half done.
    Map<String, Tensor> found = new LinkedHashMap<>();
    params.forEach((path, p) -> {
      Tensor value = p.value();
      if (grads.contains(value)) {
        Tensor g = grads.of(value).detach();
        if (!g.shape().equals(value.shape()) || g.dtype() != value.dtype()) {
          throw new IllegalArgumentException("gradient of '" + path + "' is " + g.shape() + " " + g.dtype()
              + " but the parameter is " + value.shape() + " " + value.dtype());
        }
        found.put(path, g);
      }
    });
    if (found.isEmpty() && grads.size() > 0) {
      throw new IllegalArgumentException("none of the " + params.size() + " parameters has a gradient among the "
          + grads.size() + " given: were they computed before the last step (a parameter's value changes at each"
          + " step) or for another model?");
    }
    try (NoGrad ignored = NoGrad.enter()) {
      found.forEach((path, g) -> {
        Parameter p = params.get(path);
        H h = hyperOf.get(path);
        ParamState s = state.computeIfAbsent(path, k -> new ParamState());
        Tensor masked = p.mask() == null ? g : g.mul(p.mask()); // a pruned entry gets no gradient and no state
        p.assign(update(p.value().detach(), masked, s, h, h.lr() * lrFactor));
      });
    }
    steps++;
  }

  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public final void setLrFactor(double factor) {
    this.lrFactor = checkNonNegative("lr factor", factor);
  }

  @Override
  public final double lrFactor() {
    return lrFactor;
  }

  @Override
  public final long stateBytes() {
    long b = 8; // the step count
    for (ParamState s : state.values()) {
      b += s.bytes();
    }
    return b;
  }

  /** The state of one parameter, or null before its first gradient (for tests and subclasses). */
  final ParamState state(String path) {
    return state.get(path);
  }

  @Override
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String path : params.keySet()) {
      ParamState s = state.get(path);
      if (s != null) {
        s.tensors.forEach((slot, t) -> out.put(path + "." + slot, t));
        s.owned.clear(); // the caller now holds these tensors: the next step writes new ones
        s.scalars.forEach((slot, v) -> out.put(path + "." + slot, scalar(v)));
      }
    }
    out.put(STEPS, scalar(steps));
    return out;
  }

  @Override
  public final void loadStateDict(Map<String, Tensor> dict) {
    List<String> problems = new ArrayList<>();
    Map<String, ParamState> loaded = new LinkedHashMap<>();
    Map<String, List<String>> seenSlots = new LinkedHashMap<>();
    Tensor stepsTensor = dict.get(STEPS);
    if (stepsTensor == null) {
      problems.add("missing '" + STEPS + "'");
    } else if (checkScalar(STEPS, stepsTensor, problems)) {
      double v = stepsTensor.item();
      if (!(v >= 0) || v != Math.rint(v)) {
        problems.add("'" + STEPS + "' is " + v + ", expected a whole number ≥ 0");
      }
    }
    dict.forEach((key, t) -> {
      if (key.equals(STEPS)) {
        return;
      }
      int dot = key.lastIndexOf('.');
      String path = dot < 0 ? key : key.substring(0, dot);
      String slot = dot < 0 ? "" : key.substring(dot + 1);
      Parameter p = params.get(path);
      if (p == null) {
        problems.add("unexpected '" + key + "' (no parameter '" + path + "' in this optimizer)");
        return;
      }
      H h = hyperOf.get(path);
      ParamState s = loaded.computeIfAbsent(path, k -> new ParamState());
      seenSlots.computeIfAbsent(path, k -> new ArrayList<>()).add(slot);
      if (tensorSlots(h).contains(slot)) {
        if (!t.shape().equals(p.shape())) {
          problems.add("'" + key + "' has shape " + t.shape() + ", expected " + p.shape());
        } else if (!t.dtype().isFloating()) {
          problems.add("'" + key + "' is " + t.dtype() + ", expected a floating tensor");
        } else {
          Tensor v = p.value();
          s.put(slot, t.detach().cast(v.dtype()).to(v.device()).detach());
        }
      } else if (scalarSlots(h).contains(slot)) {
        if (checkScalar(key, t, problems)) {
          s.scalars.put(slot, t.item());
        }
      } else {
        problems.add("unexpected '" + key + "' (slots here: " + tensorSlots(h) + " " + scalarSlots(h) + ")");
      }
    });
    seenSlots.forEach((path, slots) -> {
      H h = hyperOf.get(path);
      for (String slot : concat(tensorSlots(h), scalarSlots(h))) {
        if (!slots.contains(slot)) {
          problems.add("missing '" + path + "." + slot + "'");
        }
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("optimizer state does not fit " + getClass().getSimpleName() + ": "
          + String.join(", ", problems));
    }
    state.clear();
    for (String path : params.keySet()) { // in parameter order, slots in declared order
      ParamState in = loaded.get(path);
      if (in != null) {
        ParamState s = new ParamState();
        H h = hyperOf.get(path);
        tensorSlots(h).forEach(slot -> s.put(slot, in.tensors.get(slot)));
        scalarSlots(h).forEach(slot -> s.scalars.put(slot, in.scalars.get(slot)));
        state.put(path, s);
      }
    }
    steps = (long) stepsTensor.item();
  }

  private static boolean checkScalar(String key, Tensor t, List<String> problems) {
    if (!t.shape().equals(Shape.scalar())) {
      problems.add("'" + key + "' has shape " + t.shape() + ", expected a 0-d scalar");
      return false;
    }
    return true;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** A 0-d F64 tensor on the CPU: exact for step counts below 2⁵³ and for any double. */
  static Tensor scalar(double v) {
    return Tensors.full(Shape.scalar(), v, DType.F64, Device.cpu());
  }

  /** Rejects NaN, infinite and negative values with a message naming {@code what}. */
  static double checkNonNegative(String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be finite and ≥ 0, got " + v);
    }
    return v;
  }

  /** Rejects values outside [0, 1). */
  static double checkUnit(String what, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1), got " + v);
    }
    return v;
  }
}
