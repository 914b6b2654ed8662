package org.incipit.nn.lint;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.incipit.init.FanMode;
import org.incipit.init.Fans;
import org.incipit.init.Gains;
import org.incipit.init.Initializer;
import org.incipit.init.Orthogonal;
import org.incipit.init.PerSlice;
import org.incipit.init.TruncatedNormal;
import org.incipit.init.VarianceScaling;
import org.incipit.nn.Module;
import org.incipit.nn.Nonlinear;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.Conv1d;
import org.incipit.nn.layers.Conv2d;

/** The rules of {@link Lint} that look at one parameter and its layer; {@link StructureRules} has the rest. */
final class Rules {
  static final String GROUPED_FANS = "fans";
  static final String TRUNCATION = "truncation";
  static final String RESIDUAL = "residual-scaling";
  static final String PROVENANCE = "provenance";
  static final String ORTHOGONAL = "orthogonal-reshape";
  static final String EMBEDDING = "embedding-rows";
  static final String GAIN = "gain";
  static final int DEEP = 12;

  /** Names of packed projection matrices: fused QKV (GPT-2 c_attn, PyTorch in_proj), fused gate/up (LLaMA w13). */
  static final Pattern PACKED = Pattern.compile("(^|[._])(qkv|c_attn|in_proj(_weight)?|gate_up(_proj)?|w13|packed)($|[._])");

  static final List<BiConsumer<Module, List<Finding>>> ALL = List.of(Rules::fans, Rules::truncation,
      StructureRules::residualScaling, StructureRules::provenance, Rules::orthogonal, StructureRules::embeddingRows,
      Rules::gain);

  private Rules() {}

  private static boolean usesFanOut(Initializer init) {
    return Lint.unwrap(init) instanceof VarianceScaling v && v.mode() != FanMode.IN;
  }

  static void fans(Module model, List<Finding> out) {
    for (Map.Entry<String, Module> m : model.namedModules().entrySet()) {
      int groups = m.getValue() instanceof Conv2d c ? c.groups() : m.getValue() instanceof Conv1d c1 ? c1.groups() : 1;
      if (groups > 1) {
        Parameter w = m.getValue().namedParameters().get("weight");
        if (usesFanOut(w.initializer()) && w.fans().equals(Fans.of(w.shape()))) {
          out.add(new Finding(GROUPED_FANS, join(m.getKey(), "weight"), String.format(Locale.ROOT,
              "a conv with %d groups drawn by %s with fan_out = %s: each input channel feeds only out/groups"
                  + " outputs, so the fan_out is %d× too large", groups, w.initializer(), num(w.fans().out()), groups),
              "pass Fans.ofGrouped(shape, " + groups + ") as the weight's fans, or use a fan_in scheme"));
        }
      }
    }
    model.namedParameters().forEach((path, p) -> {
      if (p.shape().rank() == 2 && PACKED.matcher(path).find() && usesFanOut(p.initializer())
          && !(Lint.unwrap(p.initializer()) instanceof PerSlice)) {
        int parts = p.shape().dim(0) % p.shape().dim(1) == 0 ? p.shape().dim(0) / p.shape().dim(1) : 0;
        out.add(new Finding(GROUPED_FANS, path, "a packed projection " + p.shape() + " drawn whole by "
            + p.initializer() + ": its fan_out counts every packed slice, so each slice gets too little variance",
            "draw each slice with its own fans: Initializers.perSlice(" + (parts > 1 ? parts : "parts") + ", "
                + p.initializer() + ")"));
      }
    });
  }

  static void truncation(Module model, List<Finding> out) {
    model.namedParameters().forEach((path, p) -> {
      if (Lint.unwrap(p.initializer()) instanceof TruncatedNormal t) {
        double lo = (t.mean() - t.a()) / t.std();
        double hi = (t.b() - t.mean()) / t.std();
        if (Math.min(lo, hi) > 3) {
          out.add(new Finding(TRUNCATION, path, String.format(Locale.ROOT, "trunc_normal(std=%s, a=%s, b=%s): the"
              + " bounds are absolute and lie %.3g and %.3g std from the mean, so nothing is truncated",
              num(t.std()), num(t.a()), num(t.b()), lo, hi),
              "pass bounds in absolute units, e.g. a = mean − 2·std, b = mean + 2·std (timm#1286)"));
        } else if (Math.min(lo, hi) < 1) {
          out.add(new Finding(TRUNCATION, path, String.format(Locale.ROOT, "trunc_normal(std=%s, a=%s, b=%s): a bound"
              + " lies %.3g std from the mean, a heavy truncation: the realised std is far below %s",
              num(t.std()), num(t.a()), num(t.b()), Math.min(lo, hi), num(t.std())),
              "widen the bounds to about ±2 std, or state the std you want after truncation"));
        }
      }
    });
  }

  static void orthogonal(Module model, List<Finding> out) {
    model.namedParameters().forEach((path, p) -> {
      if (Lint.unwrap(p.initializer()) instanceof Orthogonal o && p.shape().rank() > 2 && !o.reshapeStated()) {
        out.add(new Finding(ORTHOGONAL, path, "orthogonal init of a rank-" + p.shape().rank() + " tensor " + p.shape()
            + " flattens it to (" + p.shape().dim(0) + ", " + p.shape().numel() / p.shape().dim(0)
            + "): the kernel is orthogonal as a whole, not per spatial tap",
            "state the reshape: Initializers.orthogonal(gain).flattened(), or use a per-tap (delta-orthogonal) scheme"));
      }
    });
  }

  static void gain(Module model, List<Finding> out) {
    for (Map.Entry<String, Module> m : model.namedModules().entrySet()) {
      String nl = nonlinearity(m.getValue());
      if (nl == null || !(nl.equals("relu") || nl.equals("tanh"))) {
        continue;
      }
      String other = nl.equals("relu") ? "tanh" : "relu";
      double wrong = Gains.of(other);
      m.getValue().namedParameters().forEach((path, p) -> {
        if (p.shape().rank() >= 2 && Lint.unwrap(p.initializer()) instanceof VarianceScaling v
            && Math.abs(Math.sqrt(v.scale()) - wrong) < 1e-9) {
          out.add(new Finding(GAIN, join(m.getKey(), path), String.format(Locale.ROOT, "a %s network drawn with %s's"
              + " gain %.4g: the signal %s by %.3g per layer", nl, other, wrong,
              nl.equals("relu") ? "grows" : "shrinks", Math.pow(wrong / Gains.of(nl), 2)),
              "use Gains.of(\"" + nl + "\") = " + num(Gains.of(nl)) + " (e.g. Initializers.kaimingNormal(0, FanMode.IN, \""
                  + nl + "\"))"));
        }
      });
    }
  }

  /** The one nonlinearity a module applies: its own ({@link Nonlinear}), or that of all its Activation children. */
  private static String nonlinearity(Module m) {
    if (m instanceof Nonlinear n && !(m instanceof Activation)) {
      return n.nonlinearity();
    }
    String found = null;
    for (Module c : m.children().values()) {
      if (c instanceof Activation a && !a.name().equals("identity")) {
        if (found != null && !found.equals(a.name())) {
          return null;
        }
        found = a.name();
      }
    }
    return found;
  }

  static String join(String prefix, String path) {
    return prefix.isEmpty() ? path : prefix + "." + path;
  }

  static String num(double x) {
    return org.incipit.nn.InitReport.num(x);
  }
}
