package org.incipit.models.nets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.Karate;
import org.incipit.models.data.NodeData;
import org.incipit.models.data.NodeSplit;
import org.incipit.models.data.StochasticBlockModel;
import org.incipit.optim.AdamW;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * Smoke tests: 2-layer graph networks learn node classification, full batch, with Kipf &amp;
 * Welling's setup (hidden 16, dropout 0.5, lr 0.01, weight decay 5e-4; AdamW here), 100 steps,
 * pinned seeds. Each test runs in well under a second.
 */
class GnnTrainingTest {
  /** Trains {@code steps} full-batch steps on the train nodes; returns the training loss before each step. */
  static List<Double> train(Gnn net, NodeData data, NodeSplit split, int steps) {
    AdamW opt = AdamW.of(net, AdamW.Hyper.defaults().withLr(0.01).withWeightDecay(5e-4));
    Tensor train = NodeSplit.index(split.train());
    List<Double> losses = new ArrayList<>();
    net.train();
    for (int t = 0; t < steps; t++) {
      Tensor loss = net.loss(data.features(), data.graph(), data.labels(), train);
      losses.add(loss.item());
      opt.step(loss.backward());
    }
    return losses;
  }

  /**
   * Karate, 10 random members labelled (30 %), identity features. Measured with seed 1: training
   * loss 0.695 → 0.013, 23 of the 24 other members right (0.958); seeds 1–6 all gave ≥ 0.917.
   */
  @Test
  void twoLayerGcnLearnsTheKarateFactions() {
    NodeData club = Karate.load();
    Rng rng = Rng.seeded(1);
    NodeSplit split = NodeSplit.random(Karate.NODES, 0.3, 0.0, rng.fork("split"));
    Gnn net = new Gnn(new Gnn.Config(Gnn.Conv.GCN, Karate.NODES, 16, 2, 2, 0.5), rng.fork("gcn"));
    List<Double> losses = train(net, club, split, 100);
    assertTrue(losses.get(99) < 0.1 * losses.get(0), "training loss falls: " + losses.get(0) + " -> " + losses.get(99));
    double acc = net.accuracy(club.features(), club.graph(), club.labels(), NodeSplit.index(split.test()));
    assertTrue(acc >= 0.9, "accuracy on the 24 unlabelled members: " + acc);
  }

  /**
   * SBM, 4 blocks of 30, p_in 0.2, p_out 0.01, feature noise σ = 1, 36 train nodes. The features
   * alone (arg-max of the noisy one-hot) get 0.567 of the 60 test nodes; measured with seed 2:
   * GCN 1.000, SAGE 0.933, GIN 1.000 (seeds 1–4: GCN ≥ 0.883, SAGE ≥ 0.8, GIN ≥ 0.917).
   */
  @Test
  void everyLayerTypeSeparatesTheBlocksOfAnSbm() {
    var c = new StochasticBlockModel.Config(4, 30, 0.2, 0.01, 1.0, 0.3, 0.2);
    var s = StochasticBlockModel.generate(c, Rng.seeded(2));
    Tensor test = NodeSplit.index(s.split().test());
    double features = featureArgmaxAccuracy(s);
    assertEquals(0.567, features, 0.001);
    double[] floor = {0.9, 0.8, 0.9};
    for (Gnn.Conv conv : Gnn.Conv.values()) {
      Gnn net = new Gnn(new Gnn.Config(conv, 4, 16, 4, 2, 0.5), Rng.seeded(3));
      List<Double> losses = train(net, s.data(), s.split(), 100);
      assertTrue(losses.get(99) < 0.3 * losses.get(0), conv + " loss falls: " + losses.get(0) + " -> " + losses.get(99));
      double acc = net.accuracy(s.data().features(), s.data().graph(), s.data().labels(), test);
      assertTrue(acc >= floor[conv.ordinal()], conv + " test accuracy " + acc);
    }
  }

  private static double featureArgmaxAccuracy(StochasticBlockModel.Sample s) {
    int k = s.data().classes();
    double[] x = s.data().features().toDoubles();
    long[] y = s.data().labels().toLongs();
    int right = 0;
    for (int i : s.split().test()) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        best = x[i * k + j] > x[i * k + best] ? j : best;
      }
      right += best == y[i] ? 1 : 0;
    }
    return (double) right / s.split().test().length;
  }
}
