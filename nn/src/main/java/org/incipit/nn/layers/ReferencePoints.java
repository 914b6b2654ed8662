package org.incipit.nn.layers;

import org.incipit.autograd.NoGrad;
import org.incipit.autograd.Tensor;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.tensor.Rng;

/**
 * The initial reference points of a query-based decoder (DETR-style): each query's positional
 * embedding is mapped to the points the decoder will refine. Two modes:
 * <pre>
 * IDENTICAL   (LaneSegNet):  p = σ(W·q + b) ∈ (0,1)^D,   refs_i = p for i = 1 … P    (…, P, D)
 * INDEPENDENT (baseline):    (refs_1 … refs_P) = σ(W'·q + b') ∈ (0,1)^(P·D)          (…, P, D)
 * W, W' Xavier uniform (gain 1), b, b' = 0
 * </pre>
 * In IDENTICAL mode every point of a query starts at the same location; the repetition is a view
 * ({@code expand}), so the gradient reaching p is the sum over the P points. The decoder then
 * refines the points layer by layer with {@link #refine}: refs ← σ(Δ + σ⁻¹(refs)), refs detached.
 *
 * <p>T. Li, P. Jia, B. Wang, L. Chen, K. Jiang, J. Yan, H. Li 2024, "LaneSegNet: Map Learning with Lane Segment Perception
 * for Autonomous Driving", ICLR 2024, arXiv:2312.16108 (code OpenDriveLab/LaneSegNet,
 * {@code laneseg_transformer.py}: one 3-D point per query from {@code reference_points =
 * Linear(embed_dims, 3)}, repeated for its 10 points; {@code laneseg_decoder.py}: the refinement).
 * Choices where the paper is silent: D and P are parameters (the paper: D = 3, P = 10); the
 * inverse sigmoid clamps to [ε, 1 − ε] with ε = 10⁻⁵ as DETR's {@code inverse_sigmoid}.
 *
 * <pre>{@code
 * ReferencePoints init = new ReferencePoints(256, 10, 3, ReferencePoints.Mode.IDENTICAL, rng);
 * Tensor refs = init.forward(queryPos);          // (Q, 256) → (Q, 10, 3), all 10 equal per query
 * refs = ReferencePoints.refine(refs, delta);    // after a decoder layer
 * }</pre>
 * Held by {@code ReferencePointsTest} (all points of a query equal and in (0, 1), Xavier weights,
 * zero bias, refinement detached and the identity at Δ = 0) and the {@code lanesegnet-identical-init}
 * study.
 */
public final class ReferencePoints extends Layer {
  /** How the points of one query start. */
  public enum Mode { IDENTICAL, INDEPENDENT }

  /** The clamp of the inverse sigmoid (DETR). */
  public static final double EPS = 1e-5;

  private final Linear proj;
  private final int points;
  private final int dims;
  private final Mode mode;

  /** Queries of width {@code queryDim}, {@code points} = P points of {@code dims} = D coordinates each. */
  public ReferencePoints(int queryDim, int points, int dims, Mode mode, Rng rng) {
    if (queryDim < 1 || points < 1 || dims < 1) {
      throw new IllegalArgumentException("reference points: query width, points and dims must be ≥ 1, got "
          + queryDim + ", " + points + ", " + dims);
    }
    this.points = points;
    this.dims = dims;
    this.mode = mode;
    int out = mode == Mode.IDENTICAL ? dims : points * dims;
    this.proj = child("proj", new Linear(queryDim, out, true, Initializers.xavierUniform(1), Initializers.zeros(),
        rng.fork("proj")));
  }

  @Override
  protected Tensor compute(Tensor queryPos) {
    int r = queryPos.rank();
    Tensor y = proj.forward(queryPos).sigmoid();             // (…, D) or (…, P·D)
    if (mode == Mode.IDENTICAL) {
      return repeat(y, points);                              // (…, P, D)
    }
    int[] dimsOut = new int[r + 1];
    for (int i = 0; i < r - 1; i++) {
      dimsOut[i] = queryPos.size(i);
    }
    dimsOut[r - 1] = points;
    dimsOut[r] = dims;
    return y.reshape(dimsOut);                               // (…, P, D)
  }

  /** One point (…, D) repeated P times as (…, P, D): a broadcast view, not a copy. */
  public static Tensor repeat(Tensor point, int p) {
    if (p < 1 || point.rank() < 1) {
      throw new IllegalArgumentException("reference points: need P ≥ 1 and a point of rank ≥ 1, got P = " + p
          + ", point " + point.shape());
    }
    int r = point.rank();
    int[] target = new int[r + 1];
    for (int i = 0; i < r - 1; i++) {
      target[i] = point.size(i);
    }
    target[r - 1] = p;
    target[r] = point.size(r - 1);
    return point.unsqueeze(r - 1).expand(target);           // (…, P, D)
  }

  /** σ⁻¹(x) = log(x̂ / (1 − x)^), with x̂ and (1 − x)^ clamped below at {@link #EPS} (DETR). */
  public static Tensor inverseSigmoid(Tensor x) {
    Tensor lo = x.constant(EPS);
    return x.maximum(lo).div(x.rsub(1.0).maximum(lo)).log();
  }

  /** One refinement step: σ(Δ + σ⁻¹(refs)) with refs detached (no gradient through the previous points). */
  public static Tensor refine(Tensor refs, Tensor delta) {
    Tensor base = NoGrad.run(() -> inverseSigmoid(refs.detach()));
    return delta.add(base).sigmoid();
  }

  public Mode mode() {
    return mode;
  }

  public int points() {
    return points;
  }

  public Linear projection() {
    return proj;
  }
}
