package org.incipit.tests;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.autograd.ops.FftConv;
import org.incipit.autograd.ops.SliceScatter;
import org.incipit.testkit.Gens.Domain;

/**
 * The differentiable ops of Incipit as test cases: a name, the input domain that keeps values
 * inside the op's domain and away from its kinks ({@link Domain}, from the test kit), and the op
 * applied to generated inputs.
 */
public final class OpCatalog {
  private OpCatalog() {}

  /** An op of one tensor; {@code pick} chooses an axis (pick mod rank) where the op needs one. */
  public record Unary(String name, Domain domain, int minRank, BiFunction<Tensor, Integer, Tensor> f) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A broadcasting op of two tensors. */
  public record Binary(String name, Domain domainA, Domain domainB, BiFunction<Tensor, Tensor, Tensor> f) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Every name in {@code names} was drawn at least {@code min} times during a property's run
   * ({@code drawn}: counts by name); the error lists the ones that were not, with their counts.
   */
  public static void assertCoverage(Map<String, Integer> drawn, Collection<String> names, int min) {
    List<String> scarce = new ArrayList<>();
    for (String name : names) {
      int n = drawn.getOrDefault(name, 0);
      if (n < min) {
        scarce.add(name + " (" + n + ")");
      }
    }
    if (!scarce.isEmpty()) {
      throw new AssertionError("coverage: drawn fewer than " + min + " times: " + scarce + " of " + names.size()
          + " ops; all counts " + drawn);
    }
  }

  static int axis(Tensor x, int pick) {
    return Math.floorMod(pick, x.rank());
  }

  public static final List<Unary> UNARY = List.of(
      new Unary("neg", Domain.ANY, 0, (x, p) -> x.neg()),
      new Unary("exp", Domain.ANY, 0, (x, p) -> x.exp()),
      new Unary("log", Domain.POSITIVE, 0, (x, p) -> x.log()),
      new Unary("sqrt", Domain.POSITIVE, 0, (x, p) -> x.sqrt()),
      new Unary("reciprocal", Domain.AWAY_FROM_ZERO, 0, (x, p) -> x.reciprocal()),
      new Unary("abs", Domain.AWAY_FROM_ZERO, 0, (x, p) -> x.abs()),
      new Unary("sin", Domain.ANY, 0, (x, p) -> x.sin()),
      new Unary("cos", Domain.ANY, 0, (x, p) -> x.cos()),
      new Unary("tanh", Domain.ANY, 0, (x, p) -> x.tanh()),
      new Unary("sigmoid", Domain.ANY, 0, (x, p) -> x.sigmoid()),
      new Unary("relu", Domain.AWAY_FROM_ZERO, 0, (x, p) -> x.relu()),
      new Unary("erf", Domain.ANY, 0, (x, p) -> x.erf()),
      new Unary("gelu", Domain.ANY, 0, (x, p) -> Functional.gelu(x)),
      new Unary("gelu_tanh", Domain.ANY, 0, (x, p) -> Functional.geluTanh(x)),
      new Unary("silu", Domain.ANY, 0, (x, p) -> Functional.silu(x)),
      new Unary("softplus", Domain.ANY, 0, (x, p) -> Functional.softplus(x)),
      new Unary("leaky_relu", Domain.AWAY_FROM_ZERO, 0, (x, p) -> Functional.leakyRelu(x, 0.1)),
      new Unary("square", Domain.ANY, 0, (x, p) -> x.square()),
      new Unary("pow_2.5", Domain.POSITIVE, 0, (x, p) -> x.pow(2.5)),
      new Unary("pow_3", Domain.ANY, 0, (x, p) -> x.pow(3)),
      new Unary("add_scalar", Domain.ANY, 0, (x, p) -> x.add(1.5)),
      new Unary("mul_scalar", Domain.ANY, 0, (x, p) -> x.mul(-2.5)),
      new Unary("rsub", Domain.ANY, 0, (x, p) -> x.rsub(3.0)),
      new Unary("sum_all", Domain.ANY, 0, (x, p) -> x.sum()),
      new Unary("sum_axis", Domain.ANY, 1, (x, p) -> x.sum(axis(x, p))),
      new Unary("sum_keep", Domain.ANY, 1, (x, p) -> x.sumKeepDims(axis(x, p))),
      new Unary("mean_axis", Domain.ANY, 1, (x, p) -> x.mean(axis(x, p))),
      new Unary("max_axis", Domain.DISTINCT, 1, (x, p) -> x.max(axis(x, p))),
      new Unary("max_keep", Domain.DISTINCT, 1, (x, p) -> x.maxKeepDims(axis(x, p))),
      new Unary("logsumexp", Domain.ANY, 1, (x, p) -> Functional.logsumexp(x, axis(x, p), false)),
      new Unary("var", Domain.ANY, 1, (x, p) -> Functional.var(x, x.size(axis(x, p)) > 1 ? 1 : 0, false, axis(x, p))),
      new Unary("softmax", Domain.ANY, 1, (x, p) -> Functional.softmax(x, axis(x, p))),
      new Unary("log_softmax", Domain.ANY, 1, (x, p) -> Functional.logSoftmax(x, axis(x, p))),
      new Unary("layer_norm", Domain.ANY, 1, (x, p) -> Functional.layerNorm(x, new int[] {x.size(-1)}, null, null, 1e-5)),
      new Unary("rms_norm", Domain.ANY, 1, (x, p) -> Functional.rmsNorm(x, null, 1e-6)),
      new Unary("reshape_flat", Domain.ANY, 0, (x, p) -> x.reshape(-1).mul(x.reshape(-1))),
      new Unary("permute_reverse", Domain.ANY, 0, (x, p) -> x.permute(reversed(x.rank())).mul(1.0).exp()),
      new Unary("transpose", Domain.ANY, 1, (x, p) -> x.transpose(0, -1).tanh()),
      new Unary("transpose_reshape", Domain.ANY, 2, (x, p) -> x.transpose(0, 1).reshape(-1).sin()),
      new Unary("expand", Domain.ANY, 0, (x, p) -> x.unsqueeze(0).expand(withLead(x, 3)).square()),
      new Unary("slice_step", Domain.ANY, 1, (x, p) -> x.slice(axis(x, p), 0, x.size(axis(x, p)), 2).exp()),
      new Unary("slice_negative", Domain.ANY, 1, (x, p) -> x.slice(axis(x, p), -2, Integer.MAX_VALUE, 1).square()),
      new Unary("select", Domain.ANY, 1, (x, p) -> x.select(axis(x, p), -1).exp()),
      new Unary("pad", Domain.ANY, 1, (x, p) -> SliceScatter.pad(x, axis(x, p), 1, 2).exp()),
      new Unary("cat_self", Domain.ANY, 1, (x, p) -> Tensors.cat(axis(x, p), x, x.square(), x.sin())),
      new Unary("stack_self", Domain.ANY, 0, (x, p) -> Tensors.stack(0, x, x.exp())),
      new Unary("contiguous_of_view", Domain.ANY, 2, (x, p) -> x.transpose(0, 1).contiguous().mul(x.transpose(0, 1))),
      new Unary("where_self", Domain.AWAY_FROM_ZERO, 0, (x, p) -> Tensors.where(x.gt(0.0), x.exp(), x.square())),
      new Unary("masked_fill", Domain.AWAY_FROM_ZERO, 0, (x, p) -> x.maskedFill(x.lt(0.0), 2.0).mul(x)),
      new Unary("causal_conv", Domain.ANY, 1, (x, p) -> Convolutions.causalConv(x, x.sin())),
      new Unary("causal_conv_broadcast", Domain.ANY, 2, (x, p) -> Convolutions.causalConv(x, x.select(0, -1).tanh())),
      new Unary("fft_correlate", Domain.ANY, 1, (x, p) -> FftConv.correlate(x.exp(), x)),
      new Unary("glu", Domain.ANY, 1, (x, p) -> Functional.glu(Tensors.cat(axis(x, p), x, x.cos()), axis(x, p))));

  public static final List<Binary> BINARY = List.of(
      new Binary("add", Domain.ANY, Domain.ANY, Tensor::add),
      new Binary("sub", Domain.ANY, Domain.ANY, Tensor::sub),
      new Binary("mul", Domain.ANY, Domain.ANY, Tensor::mul),
      new Binary("div", Domain.ANY, Domain.AWAY_FROM_ZERO, Tensor::div),
      new Binary("maximum", Domain.DISTINCT, Domain.DISTINCT, Tensor::maximum),
      new Binary("minimum", Domain.DISTINCT, Domain.DISTINCT, Tensor::minimum),
      new Binary("where_cmp", Domain.DISTINCT, Domain.DISTINCT, (a, b) -> Tensors.where(a.lt(b), a.exp(), b.square())),
      new Binary("mse", Domain.ANY, Domain.ANY, (a, b) -> org.incipit.autograd.Losses.mseLoss(a, b,
          org.incipit.autograd.Reduction.MEAN)));

  static int[] reversed(int rank) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = rank - 1 - i;
    }
    return p;
  }

  static int[] withLead(Tensor x, int lead) {
    int[] d = new int[x.rank() + 1];
    d[0] = lead;
    System.arraycopy(x.shape().dims(), 0, d, 1, x.rank());
    return d;
  }
}
