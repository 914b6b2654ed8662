package org.incipit.optim;

/**
 * What every optimizer's hyperparameter record shares: a base learning rate and a weight-decay
 * coefficient, and copies with either changed ({@link ParamGroup#splitDecay} uses the latter).
 *
 * @param <H> the record type itself
 */
public interface Hyperparameters<H extends Hyperparameters<H>> {
  /** The base learning rate; the step uses {@code lr() · lrFactor} (see {@link Optimizer#setLrFactor}). */
  double lr();

  /** The weight-decay coefficient (coupled for SGD, decoupled for AdamW and SGD-SaI). */
  double weightDecay();

  H withLr(double lr);

  H withWeightDecay(double weightDecay);
}
