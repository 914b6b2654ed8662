package org.incipit.tests.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.autograd.ops.Spike;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;
import org.incipit.testkit.Gens.Domain;
import org.incipit.tests.OpCatalog;
import org.incipit.tests.OpCatalog.Unary;

/**
 * The ops of the CPU/OpenCL agreement property: every op of {@link OpCatalog} plus the primitives
 * it leaves to other tests — sign, the spike (its rule is a surrogate, not a gradient), casts,
 * argmax, the index ops, matmul, convolution and cross-entropy. Constant operands (indices,
 * weights) are derived from the input's shape and made on the input's device, so both devices see
 * the same.
 */
final class AgreementCatalog {
  private AgreementCatalog() {}

  /** A constant on x's device: values (i·0.37 mod 1.3) − 0.6 in shape dims. */
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

  private static int axis(Tensor x, int pick) {
    return Math.floorMod(pick, x.rank());
  }

  private static Unary op(String name, Domain d, int minRank, BiFunction<Tensor, Integer, Tensor> f) {
    return new Unary(name, d, minRank, f);
  }

  static final List<Unary> EXTRA = List.of(
      op("sign", Domain.AWAY_FROM_ZERO, 0, (x, p) -> x.sign().mul(x)),
      op("spike", Domain.ANY, 0, (x, p) -> Functional.spike(x, Spike.GAMMA).add(x.mul(0.25))),
      op("cast_f64", Domain.ANY, 0, (x, p) -> x.cast(DType.F64).exp().cast(DType.F32)),
      op("compare_scalar", Domain.AWAY_FROM_ZERO, 0, (x, p) -> x.ge(0.5).cast(DType.F32)
          .add(x.ne(x.neg()).cast(DType.F32)).mul(x)),
      op("argmax_gather", Domain.DISTINCT, 1, (x, p) -> x.gather(axis(x, p),
          x.argmax(axis(x, p)).unsqueeze(axis(x, p)))),
      op("gather", Domain.ANY, 1, (x, p) -> x.gather(axis(x, p), index(x, x.size(axis(x, p)),
          x.shape().with(axis(x, p), 4).dims()))),
      op("scatter_add", Domain.ANY, 1, (x, p) -> x.mul(0.5).scatterAdd(axis(x, p),
          index(x, x.size(axis(x, p)), x.shape().dims()), x.exp())),
      op("index_select", Domain.ANY, 1, (x, p) -> x.indexSelect(axis(x, p), index(x, x.size(axis(x, p)), 5))),
      op("index_add", Domain.ANY, 1, (x, p) -> x.sin().indexAdd(axis(x, p), index(x, x.size(axis(x, p)), 6),
          constant(x, x.shape().with(axis(x, p), 6).dims()).mul(x.sum()))),
      op("matmul_self", Domain.ANY, 2, (x, p) -> x.matmul(x.transpose(-1, -2).sin())),
      op("matmul_weight", Domain.ANY, 1, (x, p) -> x.matmul(constant(x, x.size(-1), 3)).tanh()),
      op("matmul_vector", Domain.ANY, 1, (x, p) -> constant(x, x.size(x.rank() >= 2 ? -2 : 0)).matmul(x)),
      op("conv2d", Domain.ANY, 2, (x, p) -> Convolutions.conv2d(x.reshape(1, 1, -1, x.size(-1)),
          constant(x, 2, 1, 2, 2), constant(x, 2), 1, 1, 1)),
      op("cross_entropy", Domain.ANY, 2, (x, p) -> Losses.crossEntropy(x.reshape(-1, x.size(-1)),
          index(x, x.size(-1), x.numel() / x.size(-1)))));

  /** Every unary case: the gradient catalog's and the extras. */
  static List<Unary> unary() {
    List<Unary> all = new ArrayList<>(OpCatalog.UNARY);
    all.addAll(EXTRA);
    return all;
  }
}
