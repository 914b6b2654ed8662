package org.incipit.nn.prune;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.incipit.autograd.Autograd;
import org.incipit.autograd.GradMode;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.Layer;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Shape;

/**
 * Per-weight saliency scores at initialization, over the prunable weights of
 * {@link Pruning#weights} (rank ≥ 2), higher = more important; and the global top-k mask they give.
 *
 * <pre>
 * SNIP     s = |θ ⊙ ∂L/∂θ|                            Lee, Ajanthan, Torr 2019, arXiv:1810.02340
 * GraSP    s = θ ⊙ H·g,   g = ∂L/∂θ,  H·g = ∂(gᵀ·stop(g))/∂θ
 *                                                      Wang, Zhang, Grosse 2020, arXiv:2002.07376
 * SynFlow  s = θ ⊙ ∂R/∂θ,  R = 1ᵀ f(1; |θ|)            Tanaka, Kunin, Yamins, Ganguli 2020, arXiv:2006.05467
 * </pre>
 * GraSP's paper scores S = −θ ⊙ Hg and removes the weights with the largest S; the score here is −S,
 * so that for every criterion the highest scores are kept. SynFlow runs the network on a single
 * all-ones input with every parameter (biases too) replaced by its absolute value, in eval mode;
 * {@link #synflow} iterates it, pruning to D^{k/rounds} at round k (the paper's exponential schedule;
 * it uses 100 rounds, a caller chooses). The loss for SNIP and GraSP is what {@code loss} returns
 * on the caller's batch. Held by {@code SaliencyTest} (hand-computed SNIP and GraSP on a one-layer
 * model, SynFlow's conservation, top-k counts).
 */
public final class Saliency {
  private Saliency() {}

  /** SNIP: |θ ⊙ ∂L/∂θ| for each prunable weight. */
  public static Map<String, Tensor> snip(Module model, Supplier<Tensor> loss) {
    Map<String, Parameter> w = Pruning.weights(model);
    Gradients g = loss.get().backward();
    Map<String, Tensor> out = new LinkedHashMap<>();
    w.forEach((path, p) -> out.put(path, p.value().detach().mul(g.orZeros(p.value()).detach()).abs()));
    return out;
  }

  /** GraSP, sign flipped so higher is kept: θ ⊙ H·g for each prunable weight. */
  public static Map<String, Tensor> grasp(Module model, Supplier<Tensor> loss) {
    Map<String, Parameter> w = Pruning.weights(model);
    Tensor[] leaves = w.values().stream().map(Parameter::value).toArray(Tensor[]::new);
    Tensor l = loss.get();
    Gradients g = Autograd.grad(l, Tensors.full(l.shape(), 1.0, l.dtype(), l.device()), GradMode.CREATE_GRAPH, leaves);
    Tensor z = null; // gᵀ·stop(g): its gradient is H·g
    for (Tensor leaf : leaves) {
      Tensor gi = g.orZeros(leaf);
      Tensor term = gi.mul(gi.detach()).sum();
      z = z == null ? term : z.add(term);
    }
    Gradients hg = z.backward();
    Map<String, Tensor> out = new LinkedHashMap<>();
    w.forEach((path, p) -> out.put(path, p.value().detach().mul(hg.orZeros(p.value()).detach())));
    return out;
  }

  /**
   * Iterative SynFlow on {@code model} for an input of shape {@code input} (batch axis included, e.g.
   * (1, 1, 8, 8)): {@code rounds} rounds to overall density {@code density}; returns the masks.
   */
  public static Map<String, Tensor> synflow(Layer model, Shape input, double density, int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("synflow: rounds must be ≥ 1, got " + rounds);
    }
    Map<String, Tensor> masks = new LinkedHashMap<>();
    Pruning.weights(model).forEach((path, p) -> masks.put(path, Tensors.onesLike(p.value().detach())));
    for (int k = 1; k <= rounds; k++) {
      masks.putAll(topK(synflowScores(model, input, masks), Math.pow(density, (double) k / rounds)));
    }
    return masks;
  }

  /** One SynFlow pass: θ ⊙ ∂R/∂θ with |θ|·mask in place of θ (masks by weight path; others unmasked). */
  public static Map<String, Tensor> synflowScores(Layer model, Shape input, Map<String, Tensor> masks) {
    Map<String, Parameter> all = model.namedParameters();
    Map<String, Tensor> abs = new LinkedHashMap<>();
    all.forEach((path, p) -> {
      Tensor a = p.value().detach().abs();
      Tensor m = masks.get(path);
      abs.put(path, (m != null ? a.mul(m.cast(a.dtype()).to(a.device())) : a).detach().withGrad());
    });
    Tensor any = all.values().iterator().next().value();
    Tensor ones = Tensors.full(input, 1.0, any.dtype(), any.device()); // the all-ones input
    boolean training = model.isTraining();
    model.eval();
    Gradients g;
    try {
      g = model.withParameters(abs, () -> model.forward(ones).sum().backward());
    } finally {
      if (training) {
        model.train();
      }
    }
    Map<String, Tensor> scores = new LinkedHashMap<>();
    Pruning.weights(model).keySet().forEach(path ->
        scores.put(path, abs.get(path).detach().mul(g.orZeros(abs.get(path)).detach())));
    return scores;
  }

  /**
   * The global top-k mask: the round(D·N) highest scores over all tensors are 1 (ties broken by
   * tensor order, then index), the rest 0. Masks are float32 on the CPU.
   */
  public static Map<String, Tensor> topK(Map<String, Tensor> scores, double density) {
    if (!(density > 0 && density <= 1)) {
      throw new IllegalArgumentException("top-k pruning: density must be in (0, 1], got " + density);
    }
    int total = scores.values().stream().mapToInt(t -> t.shape().numel()).sum();
    double[] all = new double[total];
    int at = 0;
    for (Tensor s : scores.values()) {
      double[] v = s.toDoubles();
      System.arraycopy(v, 0, all, at, v.length);
      at += v.length;
    }
    Integer[] order = new Integer[total];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(all[b], all[a])); // stable: equal scores keep index order
    int keep = (int) Math.round(density * total);
    double[] flat = new double[total];
    for (int i = 0; i < keep; i++) {
      flat[order[i]] = 1;
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    at = 0;
    for (Map.Entry<String, Tensor> e : scores.entrySet()) {
      int n = e.getValue().shape().numel();
      out.put(e.getKey(), Tensors.of(org.incipit.tensor.DType.F32, Arrays.copyOfRange(flat, at, at + n),
          e.getValue().shape().dims()));
      at += n;
    }
    return out;
  }
}
