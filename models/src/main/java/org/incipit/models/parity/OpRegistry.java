package org.incipit.models.parity;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;

/**
 * Maps the op names of the fixture format to Incipit calls, with PyTorch's defaults for absent
 * attributes. Adding an op to the format means adding one line here.
 */
public final class OpRegistry {
  private static final Map<String, Function<OpArgs, Tensor>> OPS = new TreeMap<>();

  static {
    unary("neg", Tensor::neg);
    unary("exp", Tensor::exp);
    unary("log", Tensor::log);
    unary("sqrt", Tensor::sqrt);
    unary("abs", Tensor::abs);
    unary("tanh", Tensor::tanh);
    unary("sigmoid", Tensor::sigmoid);
    unary("relu", Tensor::relu);
    unary("gelu", Functional::gelu);
    unary("gelu_tanh", Functional::geluTanh);
    unary("silu", Functional::silu);
    unary("softplus", Functional::softplus);
    unary("sin", Tensor::sin);
    unary("cos", Tensor::cos);
    unary("square", Tensor::square);
    unary("reciprocal", Tensor::reciprocal);
    OPS.put("leaky_relu", a -> Functional.leakyRelu(x(a), a.real("negative_slope", 0.01)));
    OPS.put("pow_scalar", a -> x(a).pow(a.real("exponent", 1.0)));
    OPS.put("add", a -> a.input("a", 0).add(a.input("b", 1)));
    OPS.put("sub", a -> a.input("a", 0).sub(a.input("b", 1)));
    OPS.put("mul", a -> a.input("a", 0).mul(a.input("b", 1)));
    OPS.put("div", a -> a.input("a", 0).div(a.input("b", 1)));
    OPS.put("maximum", a -> a.input("a", 0).maximum(a.input("b", 1)));
    OPS.put("minimum", a -> a.input("a", 0).minimum(a.input("b", 1)));
    OPS.put("sum", a -> a.bool("keepdim", false) ? x(a).sumKeepDims(dims(a)) : x(a).sum(dims(a)));
    OPS.put("mean", a -> a.bool("keepdim", false) ? x(a).meanKeepDims(dims(a)) : x(a).mean(dims(a)));
    OPS.put("max", a -> a.bool("keepdim", false) ? x(a).maxKeepDims(a.integer("dim", 0)) : x(a).max(a.integer("dim", 0)));
    OPS.put("logsumexp", a -> Functional.logsumexp(x(a), a.integer("dim", 0), a.bool("keepdim", false)));
    OPS.put("var", a -> Functional.var(x(a), a.integer("correction", 1), a.bool("keepdim", false), dims(a)));
    OPS.put("reshape", a -> x(a).reshape(a.ints("shape", null)));
    OPS.put("transpose", a -> x(a).transpose(a.integer("dim0", 0), a.integer("dim1", 1)));
    OPS.put("permute", a -> x(a).permute(a.ints("dims", null)));
    OPS.put("expand", a -> expand(x(a), a.ints("shape", null)));
    OPS.put("slice", a -> x(a).slice(a.integer("dim", 0), a.integer("start", 0),
        a.integer("end", Integer.MAX_VALUE), a.integer("step", 1)));
    OPS.put("cat", a -> Tensors.cat(a.integer("dim", 0), a.all()));
    OPS.put("stack", a -> Tensors.stack(a.integer("dim", 0), a.all()));
    OPS.put("index_select", a -> x(a).indexSelect(a.integer("dim", 0), a.input("index", 1)));
    OPS.put("gather", a -> x(a).gather(a.integer("dim", 0), a.input("index", 1)));
    OPS.put("index_add", a -> x(a).indexAdd(a.integer("dim", 0), a.input("index", 1), a.input("src", 2)));
    OPS.put("where", a -> Tensors.where(a.input("cond", 0), a.input("a", 1), a.input("b", 2)));
    OPS.put("masked_fill", a -> x(a).maskedFill(a.input("mask", 1), a.real("value", 0.0)));
    OPS.put("matmul", a -> a.input("a", 0).matmul(a.input("b", 1)));
    OPS.put("softmax", a -> Functional.softmax(x(a), a.integer("dim", -1)));
    OPS.put("log_softmax", a -> Functional.logSoftmax(x(a), a.integer("dim", -1)));
    OPS.put("cross_entropy", a -> Losses.crossEntropy(a.input("logits", 0), a.input("target", 1),
        new Losses.CrossEntropyOptions(a.real("label_smoothing", 0.0), a.integer("ignore_index", -100),
            reduction(a))));
    OPS.put("mse_loss", a -> Losses.mseLoss(a.input("input", 0), a.input("target", 1), reduction(a)));
    OPS.put("layer_norm", a -> Functional.layerNorm(x(a), a.ints("normalized_shape", null), a.optional("weight"),
        a.optional("bias"), a.real("eps", 1e-5)));
    OPS.put("embedding", a -> Functional.embedding(a.input("index", 0), a.input("weight", 1)));
    OPS.put("attention", a -> Functional.attention(a.input("q", 0), a.input("k", 1), a.input("v", 2),
        a.bool("causal", false)));
    OPS.put("conv2d", a -> Convolutions.conv2d(x(a), a.input("weight", 1), a.optional("bias"),
        a.pair("stride", 1), a.pair("padding", 0), a.integer("groups", 1)));
    OPS.put("conv1d", a -> Convolutions.conv1d(x(a), a.input("weight", 1), a.optional("bias"),
        a.integer("stride", 1), a.integer("padding", 0), a.integer("groups", 1)));
    OPS.put("max_pool2d", a -> Convolutions.maxPool2d(x(a), a.integer("kernel", 2),
        a.integer("stride", a.integer("kernel", 2))));
    OPS.put("avg_pool2d", a -> Convolutions.avgPool2d(x(a), a.integer("kernel", 2),
        a.integer("stride", a.integer("kernel", 2))));
  }

  private OpRegistry() {}

  /** The op called {@code name}, or null when the format has no such op here. */
  public static Function<OpArgs, Tensor> get(String name) {
    return OPS.get(name);
  }

  /** The names of all ops the runner knows. */
  public static java.util.Set<String> names() {
    return OPS.keySet();
  }

  private static void unary(String name, Function<Tensor, Tensor> f) {
    OPS.put(name, a -> f.apply(x(a)));
  }

  private static Tensor x(OpArgs a) {
    return a.input("x", 0);
  }

  private static int[] dims(OpArgs a) {
    return a.ints("dims", a.has("dim") ? new int[] {a.integer("dim", 0)} : new int[0]);
  }

  /** torch.expand: −1 keeps the existing size. */
  private static Tensor expand(Tensor x, int[] shape) {
    int[] s = shape.clone();
    int lead = s.length - x.rank();
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        s[i] = x.size(i - lead);
      }
    }
    return x.expand(s);
  }

  private static Reduction reduction(OpArgs a) {
    return switch (a.string("reduction", "mean")) {
      case "mean" -> Reduction.MEAN;
      case "sum" -> Reduction.SUM;
      case "none" -> Reduction.NONE;
      default -> throw new IllegalArgumentException("unknown reduction '" + a.string("reduction", "") + "'");
    };
  }
}
