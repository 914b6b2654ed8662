package org.incipit.bench;

import java.util.concurrent.TimeUnit;
import org.incipit.autograd.Functional;
import org.incipit.autograd.GradMode;
import org.incipit.autograd.Losses;
import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.autograd.ops.BiasActivation;
import org.incipit.tensor.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused softmax backward, cross-entropy and bias + ReLU against the composites they replace,
 * average time per call, at the tiny GPT's and the MLP's sizes:
 * <pre>
 *   softmaxBackward            dx of softmax over attention scores (64, 64, 64)
 *   crossEntropy[Forward|…]    mean cross-entropy of logits (1024, 256); forward, forward + backward
 *   biasRelu[Forward|…]        relu(z + b) over (128, 512); forward, forward + backward
 *
 *   impl = fused      the fused kernels (the backward builds no graph, so the fused rules run)
 *          composite  the Tensor-code composites: y ⊙ (dy − Σ dy·y) for softmax,
 *                     Losses.crossEntropyReference, z.add(b).relu(); their backward runs with
 *                     GradMode.CREATE_GRAPH so that every rule is Tensor code, as before the fused
 *                     rules (that also records the backward's small graph)
 * </pre>
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar \
 *        org.incipit.bench.FusedLossBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FusedLossBenchmark {
  @Param({"fused", "composite"})
  public String impl;

  private Tensor scores;
  private Tensor probs;
  private Tensor scoreGrad;
  private Tensor logits;
  private Tensor targets;
  private Tensor z;
  private Tensor bias;
  private Tensor hiddenGrad;

  @Setup
  public void setup() {
    Rng rng = Rng.seeded(1);
    scores = Tensors.randn(rng.fork("scores"), 64, 64, 64); // (B·H, T, T)
    probs = Functional.softmax(scores, -1);
    scoreGrad = Tensors.randn(rng.fork("dy"), 64, 64, 64);
    logits = Tensors.randn(rng.fork("logits"), 1024, 256); // (B·T, vocab)
    targets = Tensors.ofLongs(rng.fork("targets").integers(1024, 256), 1024);
    z = Tensors.randn(rng.fork("z"), 128, 512); // (N, hidden)
    bias = Tensors.randn(rng.fork("b"), 512);
    hiddenGrad = Tensors.randn(rng.fork("dh"), 128, 512);
  }

  private boolean fused() {
    return impl.equals("fused");
  }

  @Benchmark
  public Tensor softmaxBackward() {
    if (fused()) { // the kernel the op's rule calls under NoGrad
      return Tensor.wrap(probs.backend().softmaxRowsBackward(scoreGrad.buffer(), probs.buffer(), 64 * 64, 64, false),
          probs.shape());
    }
    return NoGrad.run(() -> probs.mul(scoreGrad.sub(scoreGrad.mul(probs).sumKeepDims(-1))));
  }

  private Tensor crossEntropy(Tensor x) {
    return fused() ? Losses.crossEntropy(x, targets)
        : Losses.crossEntropyReference(x, targets, Losses.CrossEntropyOptions.defaults());
  }

  @Benchmark
  public Tensor crossEntropyForward() {
    return NoGrad.run(() -> crossEntropy(logits));
  }

  @Benchmark
  public Tensor crossEntropyForwardBackward() {
    Tensor x = logits.withGrad();
    Tensor loss = crossEntropy(x);
    return loss.backward(loss.constant(1.0), fused() ? GradMode.FIRST_ORDER : GradMode.CREATE_GRAPH).of(x);
  }

  private Tensor biasRelu(Tensor zz, Tensor b) {
    return fused() ? BiasActivation.apply(zz, b, "relu") : zz.add(b).relu();
  }

  @Benchmark
  public Tensor biasReluForward() {
    return NoGrad.run(() -> biasRelu(z, bias));
  }

  @Benchmark
  public Tensor[] biasReluForwardBackward() {
    Tensor zz = z.withGrad();
    Tensor b = bias.withGrad();
    var g = biasRelu(zz, b).backward(hiddenGrad, fused() ? GradMode.FIRST_ORDER : GradMode.CREATE_GRAPH);
    return new Tensor[] {g.of(zz), g.of(b)};
  }
}
