package org.incipit.nn.probe;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Autograd;
import org.incipit.autograd.GradMode;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.HookHandle;
import org.incipit.nn.Layer;
import org.incipit.nn.Module;
import org.incipit.nn.Nonlinear;
import org.incipit.nn.graph.GraphLayer;
import org.incipit.nn.kan.KanLinear;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.Conv1d;
import org.incipit.nn.layers.Conv2d;
import org.incipit.nn.snn.Lif;

/**
 * Per-layer signal statistics of one forward and backward pass at initialization — what a user
 * checks before a long run, and the numbers behind {@code incipit inspect}:
 * <pre>{@code
 * try (Probe probe = Probe.attach(model)) {
 *   Tensor loss = lossOf(model.forward(x));
 *   List<LayerStats> layers = probe.measure(loss);
 * }
 * }</pre>
 * Every leaf layer (a {@link Layer} or {@link GraphLayer} with no such layer below it) is hooked;
 * its inputs and outputs are kept for the pass and their gradients computed in one backward.
 */
public final class Probe implements AutoCloseable {
  private static final double SATURATION = 0.99;
  private static final double SATURATED_PRE = 2.6466524123622457; // atanh(0.99)

  private final Map<Module, String> paths = new LinkedHashMap<>();
  private final Map<Module, String> relu = new IdentityHashMap<>(); // leaf → "relu"/"tanh" it feeds or applies
  private final Map<Module, List<Tensor[]>> calls = new IdentityHashMap<>();
  private final List<HookHandle> handles = new ArrayList<>();

  private Probe() {}

  /** Hooks every leaf layer of {@code model}. Close the probe to remove the hooks. */
  public static Probe attach(Module model) {
    Probe p = new Probe();
    Map<String, Module> all = model.namedModules();
    all.forEach((path, m) -> {
      if (isLayer(m) && m.namedModules().values().stream().skip(1).noneMatch(Probe::isLayer)) {
        p.paths.put(m, path.isEmpty() ? "(model)" : path);
        p.calls.put(m, new ArrayList<>());
      }
    });
    all.forEach((path, m) -> {
      if (m instanceof Nonlinear n && !(m instanceof Activation)) {
        List<Module> inside = m.namedModules().values().stream().filter(p.paths::containsKey).toList();
        inside.stream().limit(Math.max(0, inside.size() - 1)) // the output layer feeds no nonlinearity
            .forEach(c -> p.relu.putIfAbsent(c, n.nonlinearity()));
      }
    });
    for (Module m : p.paths.keySet()) {
      if (m instanceof Activation a) {
        p.relu.put(m, a.name());
      }
      if (m instanceof Layer l) {
        p.handles.add(l.addHook((layer, in, out) -> p.calls.get(layer).add(new Tensor[] {in, out})));
      } else {
        p.handles.add(((GraphLayer) m).addHook((layer, in, g, out) -> p.calls.get(layer).add(new Tensor[] {in, out})));
      }
    }
    return p;
  }

  private static boolean isLayer(Module m) {
    return m instanceof Layer || m instanceof GraphLayer;
  }

  /** The statistics of the pass that produced {@code loss} (a scalar or any tensor, seeded with ones). */
  public List<LayerStats> measure(Tensor loss) {
    List<Tensor> wrt = new ArrayList<>();
    calls.values().forEach(list -> list.forEach(io -> {
      for (Tensor t : io) {
        if (t.requiresGrad()) {
          wrt.add(t);
        }
      }
    }));
    Gradients g = Autograd.grad(loss, Tensors.onesLike(loss), GradMode.FIRST_ORDER, wrt.toArray(new Tensor[0]));
    List<LayerStats> out = new ArrayList<>();
    paths.forEach((m, path) -> {
      List<Tensor[]> io = calls.get(m);
      if (!io.isEmpty()) {
        out.add(stats(m, path, io, g));
      }
    });
    return out;
  }

  private LayerStats stats(Module m, String path, List<Tensor[]> io, Gradients g) {
    Moments in = new Moments();
    Moments outM = new Moments();
    Moments gOut = new Moments();
    Moments gIn = new Moments();
    String act = relu.get(m);
    Units units = null;
    double saturated = 0;
    double outside = 0;
    long seen = 0;
    for (Tensor[] c : io) {
      double[] x = c[0].toDoubles();
      double[] y = c[1].toDoubles();
      in.add(x);
      outM.add(y);
      if (g.contains(c[1])) {
        gOut.add(g.of(c[1]).toDoubles());
      }
      if (g.contains(c[0])) {
        gIn.add(g.of(c[0]).toDoubles());
      }
      if ("relu".equals(act)) {
        units = units == null ? Units.of(c[1], unitAxis(m, c[1])) : units;
        units.observe(y);
      }
      if ("tanh".equals(act)) {
        double limit = m instanceof Activation ? SATURATION : SATURATED_PRE;
        for (double v : y) {
          saturated += Math.abs(v) > limit ? 1 : 0;
        }
      }
      if (m instanceof KanLinear k) {
        for (double v : x) {
          outside += v < k.options().grid().lo() || v > k.options().grid().hi() ? 1 : 0;
        }
      }
      seen += y.length;
    }
    return new LayerStats(path, m.getClass().getSimpleName(), io.size(), in.var(), outM.mean(), outM.var(), gOut.var(),
        gIn.var(), units == null ? Double.NaN : units.deadFraction(), "tanh".equals(act) ? saturated / seen : Double.NaN,
        m instanceof Lif ? outM.mean() : Double.NaN, m instanceof KanLinear ? outside / in.n : Double.NaN);
  }

  /** Conv outputs (N, C, …) have their units on axis 1; everything else on the last axis. */
  private static int unitAxis(Module m, Tensor y) {
    return (m instanceof Conv2d || m instanceof Conv1d) && y.rank() >= 3 ? 1 : y.rank() - 1;
  }

  @Override
  public void close() {
    handles.forEach(HookHandle::close);
    handles.clear();
  }

  /** Running mean and variance in double (Welford). */
  private static final class Moments {
    long n;
    double mean;
    double m2;

    void add(double[] v) {
      for (double x : v) {
        n++;
        double d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
      }
    }

    double mean() {
      return n == 0 ? Double.NaN : mean;
    }

    double var() {
      return n < 2 ? Double.NaN : m2 / (n - 1);
    }
  }

  /** Which units along one axis were ever positive. */
  private static final class Units {
    final boolean[] alive;
    final int stride;
    final int size;

    private Units(int size, int stride) {
      this.alive = new boolean[size];
      this.size = size;
      this.stride = stride;
    }

    static Units of(Tensor y, int axis) {
      int stride = y.shape().numel(axis + 1, y.rank());
      return new Units(y.shape().dim(axis), stride);
    }

    void observe(double[] y) {
      for (int i = 0; i < y.length; i++) {
        if (y[i] > 0) {
          alive[(i / stride) % size] = true;
        }
      }
    }

    double deadFraction() {
      int dead = 0;
      for (boolean a : alive) {
        dead += a ? 0 : 1;
      }
      return (double) dead / size;
    }
  }
}
