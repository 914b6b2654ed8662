package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.TextCorpus;
import org.incipit.models.nets.CharGpt;
import org.incipit.models.train.TrainLoop;
import org.incipit.optim.Optimizer;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * Training a {@link CharGpt} on a text corpus with seeded batches: the shared piece of the studies
 * and of {@code incipit train}. Batch t of training is drawn from {@code rng.fork("train").fork(t)};
 * validation uses a fixed set of batches from {@code rng.fork("val")}.
 */
public final class CharGptRun {
  private CharGptRun() {}

  /** Batch size, evaluation batches and the loop configuration. */
  public record Setup(int batch, int evalBatches, TrainLoop.Config loop) {}

  /** Trains {@code model} with {@code opt}; {@code listener} sees every step. */
  public static TrainLoop.History train(CharGpt model, Optimizer opt, TextCorpus corpus, Setup s, Device device,
                                        Rng rng, TrainLoop.Listener listener) {
    int context = model.config().context();
    List<TextCorpus.Batch> val = new ArrayList<>();
    for (int i = 0; i < s.evalBatches(); i++) {
      val.add(corpus.batch(false, s.batch(), context, rng.fork("val").fork(i)));
    }
    return TrainLoop.run(model, opt, s.loop(), t -> {
      TextCorpus.Batch b = corpus.batch(true, s.batch(), context, rng.fork("train").fork(t));
      return model.loss(b.x().to(device), b.y().to(device));
    }, () -> {
      double loss = 0;
      for (TextCorpus.Batch b : val) {
        loss += model.loss(b.x().to(device), b.y().to(device)).item() / val.size();
      }
      return new TrainLoop.Eval(loss, Double.NaN);
    }, listener);
  }

  /** Sample standard deviation of a tensor's elements. */
  static double std(Tensor t) {
    return Math.sqrt(SignalPropagation.variance(t));
  }
}
