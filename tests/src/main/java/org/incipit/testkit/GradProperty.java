package org.incipit.testkit;

import static org.quicktheories.QuickTheory.qt;

import java.util.function.Function;
import org.incipit.autograd.GradCheck;
import org.incipit.autograd.Tensor;
import org.quicktheories.core.Gen;

/**
 * {@link GradCheck} as a property: analytic gradients against central differences (float64,
 * PyTorch's tolerances, {@link GradCheck.Options#float64()}) for every input a generator draws.
 *
 * <p>The check is exhaustive while it is cheap: inputs holding at most {@link #ELEMENTWISE_LIMIT}
 * values in all are checked element by element ({@link GradCheck#assertMatches}); larger ones by a
 * random directional derivative vᵀJu and linearity in the upstream gradient ({@link
 * GradCheck#assertMatchesFast}), which costs two evaluations per direction instead of two per value.
 *
 * <pre>{@code
 * GradProperty.forAll(7, 300, Gens.tensors(Gens.shapes(), Gens.Domain.ANY), x -> MyOps.swish(x));
 * }</pre>
 */
public final class GradProperty {
  /** Inputs with at most this many values in all are checked element by element. */
  public static final int ELEMENTWISE_LIMIT = 48;

  private GradProperty() {}

  /** Checks the gradients of {@code f} at {@code inputs} with float64 options. */
  public static void assertGradients(Function<Tensor[], Tensor> f, Tensor... inputs) {
    assertGradients(f, GradCheck.Options.float64(), inputs);
  }

  /** Checks the gradients of {@code f} at {@code inputs}: element by element when small, else by directions. */
  public static void assertGradients(Function<Tensor[], Tensor> f, GradCheck.Options options, Tensor... inputs) {
    long numel = 0;
    for (Tensor t : inputs) {
      numel += t.numel();
    }
    if (numel <= ELEMENTWISE_LIMIT) {
      GradCheck.assertMatches(f, inputs, options);
    } else {
      GradCheck.assertMatchesFast(f, inputs, options); // with linearity
    }
  }

  /**
   * Checks the gradients of {@code f} at {@code examples} inputs drawn from {@code inputs} with the
   * pinned {@code seed}; a failure reports the seed and the shrunk input.
   */
  public static void forAll(long seed, int examples, Gen<Tensor> inputs, Function<Tensor, Tensor> f) {
    qt().withFixedSeed(seed).withExamples(examples).forAll(inputs)
        .checkAssert(x -> assertGradients(in -> f.apply(in[0]), x));
  }
}
