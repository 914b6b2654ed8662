package org.incipit.models.studies;

import java.util.List;
import java.util.function.UnaryOperator;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.Batches;
import org.incipit.models.data.LabeledData;
import org.incipit.models.data.Split;
import org.incipit.models.train.TrainLoop;
import org.incipit.nn.Layer;
import org.incipit.optim.Optimizer;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;

/**
 * Training a classifier ({@link Layer} from features to logits) on a labelled dataset: step t uses
 * batch t mod B of epoch t / B, where the epoch's order is {@code rng.fork(epoch).permutation}.
 * {@code input} maps a batch of features to the model's input (e.g. 64 pixels to a 1×8×8 image).
 */
public final class ClassifierRun {
  private ClassifierRun() {}

  public static TrainLoop.History train(Layer model, Optimizer opt, Split data, int batch, TrainLoop.Config cfg,
                                        UnaryOperator<Tensor> input, Device device, Rng rng,
                                        TrainLoop.Listener listener) {
    LabeledData train = data.train();
    if (batch < 1 || batch > train.size()) {
      throw new IllegalArgumentException("train: the batch size must be in [1, " + train.size()
          + "] (the training set's rows), got " + batch);
    }
    int perEpoch = train.size() / batch; // the last, smaller batch of an epoch is dropped
    EpochOrder epochs = new EpochOrder(train.size(), batch, rng);
    return TrainLoop.run(model, opt, cfg, t -> {
      LabeledData b = train.subset(epochs.of((int) (t / perEpoch)).get((int) (t % perEpoch)));
      Tensor logits = model.forward(input.apply(b.features().to(device))); // (B, classes)
      return Losses.crossEntropy(logits, b.labels().to(device));
    }, () -> evaluate(model, data.validation(), input, device), listener);
  }

  /** The batches of the current epoch, drawn once per epoch rather than once per step. */
  private static final class EpochOrder {
    private final int n;
    private final int batch;
    private final Rng rng;
    private int epoch = -1;
    private List<int[]> batches;

    EpochOrder(int n, int batch, Rng rng) {
      this.n = n;
      this.batch = batch;
      this.rng = rng;
    }

    List<int[]> of(int e) {
      if (e != epoch) {
        batches = Batches.indices(n, batch, rng, e, Batches.Remainder.DROP);
        epoch = e;
      }
      return batches;
    }
  }

  /** Mean cross-entropy and accuracy on a whole dataset. */
  public static TrainLoop.Eval evaluate(Layer model, LabeledData data, UnaryOperator<Tensor> input, Device device) {
    Tensor logits = model.forward(input.apply(data.features().to(device))); // (N, classes)
    double loss = Losses.crossEntropy(logits, data.labels().to(device)).item();
    long[] predicted = logits.argmax(1).toLongs();
    long[] labels = data.labels().toLongs();
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      correct += predicted[i] == labels[i] ? 1 : 0;
    }
    return new TrainLoop.Eval(loss, (double) correct / labels.length);
  }
}
