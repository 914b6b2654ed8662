package org.incipit.autograd;

/**
 * The backward rule of a primitive op: given dL/d(out), the gradients dL/d(input_i). A {@code null}
 * entry marks an input that takes no gradient (an index, a mask). Rules may return gradients in the
 * output's broadcast shape: the engine sums them back to each input's shape, so no rule handles
 * broadcasting. Rules are Tensor code; they run under {@link NoGrad} unless a higher-order
 * gradient was asked for.
 */
@FunctionalInterface
public interface BackwardRule {
  Tensor[] apply(Tensor gradOut, Tensor out, Tensor[] inputs);
}
