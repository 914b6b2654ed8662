package org.incipit.nn.prune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.init.RandomPruning;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * Masks on a module's weights: which parameters are prunable, random masks at the layer densities
 * of {@link RandomPruning} (Liu et al. 2022, arXiv:2202.02643), and the realised density.
 *
 * <p>Prunable = every parameter of rank ≥ 2 (the weights of linear, convolution and embedding
 * layers); biases and normalisation gains (rank 1) stay dense, as in the paper's code, which
 * skips biases and BatchNorm. Each mask is drawn from {@code rng.fork(path)}, so a mask depends
 * only on (seed, path, density). Held by {@code RandomPruningProperties} and
 * {@code MaskedParameterTest}.
 *
 * <pre>{@code
 * Map<String, Tensor> masks = Pruning.random(model, 0.1, RandomPruning.Method.ERK, rng.fork("masks"));
 * // train as usual: every optimizer keeps the pruned weights at zero
 * }</pre>
 */
public final class Pruning {
  private Pruning() {}

  /** The prunable parameters (rank ≥ 2), by path, in registration order. */
  public static Map<String, Parameter> weights(Module model) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    model.namedParameters().forEach((path, p) -> {
      if (p.shape().rank() >= 2) {
        out.put(path, p);
      }
    });
    if (out.isEmpty()) {
      throw new IllegalArgumentException("pruning: the model has no weight of rank ≥ 2 to prune");
    }
    return out;
  }

  /** The layer densities {@link RandomPruning#densities} gives the model's weights, by path. */
  public static Map<String, Double> densities(Module model, double density, RandomPruning.Method method) {
    Map<String, Parameter> w = weights(model);
    List<Shape> shapes = new ArrayList<>();
    w.values().forEach(p -> shapes.add(p.shape()));
    double[] d = RandomPruning.densities(shapes, density, method);
    Map<String, Double> out = new LinkedHashMap<>();
    int i = 0;
    for (String path : w.keySet()) {
      out.put(path, d[i++]);
    }
    return out;
  }

  /** Draws a Bernoulli mask per weight at {@code densities} and fixes it on the parameter; returns the masks. */
  public static Map<String, Tensor> random(Module model, Map<String, Double> densities, Rng rng) {
    Map<String, Parameter> w = weights(model);
    Map<String, Tensor> masks = new LinkedHashMap<>();
    densities.forEach((path, d) -> {
      Parameter p = w.get(path);
      if (p == null) {
        throw new IllegalArgumentException("pruning: no prunable weight '" + path + "' (weights: " + w.keySet() + ")");
      }
      masks.put(path, RandomPruning.mask(p.shape(), d, rng.fork(path)));
    });
    apply(model, masks);
    return masks;
  }

  /** Random masks at the densities of {@code method} for overall density {@code density}. */
  public static Map<String, Tensor> random(Module model, double density, RandomPruning.Method method, Rng rng) {
    return random(model, densities(model, density, method), rng);
  }

  /** Fixes each mask on the parameter at its path (see {@link Parameter#setMask}). */
  public static void apply(Module model, Map<String, Tensor> masks) {
    Map<String, Parameter> all = model.namedParameters();
    masks.forEach((path, m) -> {
      Parameter p = all.get(path);
      if (p == null) {
        throw new IllegalArgumentException("pruning: no parameter '" + path + "' (parameters: " + all.keySet() + ")");
      }
      p.setMask(m);
    });
  }

  /** The fraction of nonzero entries over the prunable weights (the realised overall density). */
  public static double density(Module model) {
    long kept = 0;
    long total = 0;
    for (Parameter p : weights(model).values()) {
      for (double v : p.value().toDoubles()) {
        kept += v != 0 ? 1 : 0;
      }
      total += p.shape().numel();
    }
    return (double) kept / total;
  }
}
