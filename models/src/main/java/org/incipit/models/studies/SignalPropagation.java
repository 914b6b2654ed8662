package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.incipit.autograd.Autograd;
import org.incipit.autograd.GradMode;
import org.incipit.autograd.Gradients;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Initializer;
import org.incipit.init.Initializers;
import org.incipit.models.nets.Mlp;
import org.incipit.nn.HookHandle;
import org.incipit.nn.layers.Linear;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * Per-layer statistics of a deep MLP at initialization: the variance of every layer's
 * pre-activations on a batch of N(0, 1) inputs, and the variance of the gradient of a random
 * linear readout with respect to them. The numerical core of the {@code signal-propagation} study.
 */
public final class SignalPropagation {
  private SignalPropagation() {}

  /** One initialization scheme: weights from {@code weight}, biases from {@code bias}. */
  public record Scheme(String name, Initializer weight, Initializer bias) {}

  /** The per-layer variances of one network (index 0 = first layer). */
  /** One network's per-layer variances, and how it was initialized. */
  public record Profile(String scheme, double[] activationVar, double[] gradientVar, org.incipit.nn.InitReport init) {
    /** The largest |log₁₀ Var(layer l) − log₁₀ Var(layer 1)| of the activations. */
    public double maxDrift() {
      return SignalPropagation.maxDrift(log10(activationVar));
    }

    /** log₁₀ Var(last layer) − log₁₀ Var(first layer) of the activations. */
    public double totalChange() {
      return Math.log10(activationVar[activationVar.length - 1] / activationVar[0]);
    }
  }

  /** log₁₀ of each value. */
  public static double[] log10(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.log10(v[i]);
    }
    return out;
  }

  /** max over l of |p[l] − p[0]|. */
  public static double maxDrift(double[] profile) {
    double d = 0;
    for (double v : profile) {
      d = Math.max(d, Math.abs(v - profile[0]));
    }
    return d;
  }

  /** He, Xavier, LeCun (normal, zero bias) and PyTorch's Linear default. */
  public static List<Scheme> classicSchemes() {
    return List.of(
        new Scheme("He (normal)", Initializers.heNormal(), Initializers.zeros()),
        new Scheme("Xavier (normal)", Initializers.xavierNormal(1), Initializers.zeros()),
        new Scheme("LeCun (normal)", Initializers.lecunNormal(), Initializers.zeros()),
        new Scheme("PyTorch default", Initializers.pytorchDefaultWeight(), Initializers.pytorchDefaultBias()));
  }

  /**
   * Builds a {@code depth}-layer MLP of the given width with {@code scheme}, runs a batch of
   * N(0, 1) inputs through it and back-propagates a random readout.
   */
  public static Profile measure(Scheme scheme, UnaryOperator<Tensor> activation, int depth, int width, int batch,
                                Device device, Rng rng) {
    int[] widths = new int[depth + 1];
    java.util.Arrays.fill(widths, width);
    Mlp net = new Mlp(widths, activation, scheme.weight(), scheme.bias(), rng.fork("net"));
    org.incipit.nn.InitReport init = net.initReport();
    net.to(DType.F32, device);
    List<Tensor> pre = new ArrayList<>();
    for (Linear l : net.layers()) {
      l.addHook((layer, in, out) -> pre.add(out)); // pre-activation of each layer: (batch, width)
    }
    Tensor x = Tensors.randn(rng.fork("x"), batch, width).to(device);
    Tensor out = net.forward(x);                                    // (batch, width)
    Tensor readout = Tensors.randn(rng.fork("v"), batch, width).to(device);
    Gradients g = Autograd.grad(out, readout, GradMode.FIRST_ORDER, pre.toArray(new Tensor[0]));
    double[] act = new double[depth];
    double[] grad = new double[depth];
    for (int l = 0; l < depth; l++) {
      act[l] = variance(pre.get(l));
      grad[l] = variance(g.of(pre.get(l)));
    }
    return new Profile(scheme.name(), act, grad, init);
  }

  /** Population variance of all elements, accumulated in double. */
  static double variance(Tensor t) {
    return variance(t.toDoubles());
  }

  /** Population variance of {@code v}, accumulated in double. */
  static double variance(double[] v) {
    double mean = 0;
    for (double d : v) {
      mean += d;
    }
    mean /= v.length;
    double s = 0;
    for (double d : v) {
      s += (d - mean) * (d - mean);
    }
    return s / v.length;
  }

  /**
   * Var of the residual stream after the stem (index 0: the first block's input) and after each of
   * {@code blocks}, during one run of {@code forward} (hooks added and removed here).
   */
  public static double[] residualVariances(List<? extends org.incipit.nn.Layer> blocks, Runnable forward) {
    double[] out = new double[blocks.size() + 1];
    List<HookHandle> hooks = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      int k = i;
      hooks.add(blocks.get(i).addHook((layer, in, y) -> {
        if (k == 0) {
          out[0] = variance(in);
        }
        out[k + 1] = variance(y);
      }));
    }
    try {
      forward.run();
    } finally {
      hooks.forEach(HookHandle::close);
    }
    return out;
  }
}
