package org.incipit.tests.opencl;

import java.util.List;
import java.util.function.BiFunction;
import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Reduction;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.autograd.ops.SliceScatter;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;

/**
 * Every primitive (and the composites built on them) as a case of the CPU/OpenCL agreement
 * property: a name, where its inputs lie, and the op. Constant operands (indices, weights) are
 * derived from the input's shape and made on the input's device, so both devices see the same.
 */
final class AgreementCatalog {
  private AgreementCatalog() {}

  /** Where generated values lie: away from kinks, inside domains, or pairwise distinct (max ties). */
  enum Domain { ANY, POSITIVE, AWAY_FROM_ZERO, DISTINCT }

  /** An op of one or two tensors (b is null for unary ops) that needs inputs of rank ≥ minRank. */
  record Op(String name, int arity, Domain domain, int minRank, BiFunction<Tensor, Tensor, Tensor> f) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Op unary(String name, Domain d, int minRank, java.util.function.Function<Tensor, Tensor> f) {
    return new Op(name, 1, d, minRank, (x, unused) -> f.apply(x));
  }

  static Op binary(String name, Domain d, BiFunction<Tensor, Tensor, Tensor> f) {
    return new Op(name, 2, d, 0, f);
  }

  /** A constant on x's device: values i·0.37 mod 1.3 − 0.6 in shape dims. */
  static Tensor constant(Tensor x, int... dims) {
    int n = Shape.of(dims).numel();
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i * 0.37) % 1.3 - 0.6;
    }
    return Tensors.of(x.dtype(), v, Shape.of(dims), x.device());
  }

  /** An I64 index on x's device with values (i·7 + 3) mod bound in shape dims. */
  static Tensor index(Tensor x, int bound, int... dims) {
    int n = Shape.of(dims).numel();
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i * 7L + 3) % bound;
    }
    return Tensors.ofLongs(v, dims).to(x.device());
  }

  static int last(Tensor x) {
    return x.rank() - 1;
  }

  static final List<Op> OPS = List.of(
      unary("neg", Domain.ANY, 0, Tensor::neg),
      unary("exp", Domain.ANY, 0, Tensor::exp),
      unary("log", Domain.POSITIVE, 0, Tensor::log),
      unary("sqrt", Domain.POSITIVE, 0, Tensor::sqrt),
      unary("reciprocal", Domain.AWAY_FROM_ZERO, 0, Tensor::reciprocal),
      unary("sin", Domain.ANY, 0, Tensor::sin),
      unary("cos", Domain.ANY, 0, Tensor::cos),
      unary("tanh", Domain.ANY, 0, Tensor::tanh),
      unary("sigmoid", Domain.ANY, 0, Tensor::sigmoid),
      unary("abs", Domain.AWAY_FROM_ZERO, 0, Tensor::abs),
      unary("sign", Domain.AWAY_FROM_ZERO, 0, x -> x.sign().mul(x)),
      unary("relu", Domain.AWAY_FROM_ZERO, 0, Tensor::relu),
      unary("erf", Domain.ANY, 0, Tensor::erf),
      unary("softplus", Domain.ANY, 0, Functional::softplus),
      unary("gelu", Domain.ANY, 0, Functional::gelu),
      unary("gelu_tanh", Domain.ANY, 0, Functional::geluTanh),
      unary("silu", Domain.ANY, 0, Functional::silu),
      unary("leaky_relu", Domain.AWAY_FROM_ZERO, 0, x -> Functional.leakyRelu(x, 0.1)),
      unary("pow_2.5", Domain.POSITIVE, 0, x -> x.pow(2.5)),
      unary("pow_3", Domain.ANY, 0, x -> x.pow(3)),
      unary("scalar_ops", Domain.ANY, 0, x -> x.add(1.5).mul(-2.5).rsub(3.0).div(4.0)),
      unary("square", Domain.ANY, 0, Tensor::square),
      unary("cast_f64", Domain.ANY, 0, x -> x.cast(DType.F64).exp().cast(DType.F32)),
      unary("compare_where", Domain.AWAY_FROM_ZERO, 0, x -> Tensors.where(x.gt(0.0), x.exp(), x.square())),
      unary("masked_fill", Domain.AWAY_FROM_ZERO, 0, x -> x.maskedFill(x.le(0.0), 2.0).mul(x)),
      unary("sum_all", Domain.ANY, 0, Tensor::sum),
      unary("sum_axis", Domain.ANY, 1, x -> x.sum(0)),
      unary("sum_keep_last", Domain.ANY, 1, x -> x.sumKeepDims(last(x)).mul(x)),
      unary("mean_axes", Domain.ANY, 2, x -> x.mean(0, last(x))),
      unary("max_axis", Domain.DISTINCT, 1, x -> x.max(last(x))),
      unary("max_keep_first", Domain.DISTINCT, 1, x -> x.maxKeepDims(0).mul(x)),
      unary("argmax_select", Domain.DISTINCT, 1, x -> x.gather(last(x), x.argmax(last(x)).unsqueeze(-1))),
      unary("logsumexp", Domain.ANY, 1, x -> Functional.logsumexp(x, 0, false)),
      unary("var", Domain.ANY, 1, x -> Functional.var(x, 0, false, last(x))),
      unary("softmax", Domain.ANY, 1, x -> Functional.softmax(x, last(x))),
      unary("log_softmax", Domain.ANY, 1, x -> Functional.logSoftmax(x, 0)),
      unary("layer_norm", Domain.ANY, 1, x -> Functional.layerNorm(x, new int[] {x.size(-1)}, null, null, 1e-5)),
      unary("rms_norm", Domain.ANY, 1, x -> Functional.rmsNorm(x, null, 1e-6)),
      unary("permute_reverse", Domain.ANY, 0, x -> x.permute(reversed(x.rank())).exp()),
      unary("transpose_reshape", Domain.ANY, 2, x -> x.transpose(0, 1).reshape(-1).sin()),
      unary("expand", Domain.ANY, 0, x -> x.unsqueeze(0).expand(withLead(x, 3)).square()),
      unary("slice_step", Domain.ANY, 1, x -> x.slice(0, 0, x.size(0), 2).exp()),
      unary("select", Domain.ANY, 1, x -> x.select(last(x), -1).exp()),
      unary("pad", Domain.ANY, 1, x -> SliceScatter.pad(x, 0, 1, 2).exp()),
      unary("cat", Domain.ANY, 1, x -> Tensors.cat(last(x), x, x.square(), x.sin())),
      unary("stack", Domain.ANY, 0, x -> Tensors.stack(0, x, x.exp())),
      unary("gather", Domain.ANY, 1, x -> x.gather(0, index(x, x.size(0), x.shape().with(0, 4).dims()))),
      unary("scatter_add", Domain.ANY, 1, x -> x.mul(0.5).scatterAdd(0, index(x, x.size(0), x.shape().dims()), x.exp())),
      unary("index_select", Domain.ANY, 1, x -> x.indexSelect(last(x), index(x, x.size(-1), 5))),
      unary("index_add", Domain.ANY, 1, x -> x.sin().indexAdd(0, index(x, x.size(0), 6), constant(x,
          x.shape().with(0, 6).dims()).mul(x.sum()))),
      unary("matmul_self", Domain.ANY, 2, x -> x.matmul(x.transpose(-1, -2).sin())),
      unary("matmul_weight", Domain.ANY, 1, x -> x.matmul(constant(x, x.size(-1), 3)).tanh()),
      unary("matmul_vector", Domain.ANY, 1, x -> constant(x, x.size(x.rank() >= 2 ? -2 : 0)).matmul(x)),
      unary("conv2d", Domain.ANY, 2, x -> Convolutions.conv2d(x.reshape(1, 1, -1, x.size(-1)),
          constant(x, 2, 1, 2, 2), constant(x, 2), 1, 1, 1)),
      unary("cross_entropy", Domain.ANY, 2, x -> Losses.crossEntropy(x.reshape(-1, x.size(-1)),
          index(x, x.size(-1), x.numel() / x.size(-1)))),
      binary("add", Domain.ANY, Tensor::add),
      binary("sub", Domain.ANY, Tensor::sub),
      binary("mul", Domain.ANY, Tensor::mul),
      binary("div", Domain.AWAY_FROM_ZERO, Tensor::div),
      binary("maximum", Domain.DISTINCT, Tensor::maximum),
      binary("minimum", Domain.DISTINCT, Tensor::minimum),
      binary("where_lt", Domain.DISTINCT, (a, b) -> Tensors.where(a.lt(b), a.exp(), b.square())),
      binary("mse", Domain.ANY, (a, b) -> Losses.mseLoss(a, b, Reduction.MEAN)));

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
