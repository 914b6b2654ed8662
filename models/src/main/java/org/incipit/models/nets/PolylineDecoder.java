package org.incipit.models.nets;

import java.util.ArrayList;
import java.util.List;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Initializers;
import org.incipit.nn.Layer;
import org.incipit.nn.ModuleList;
import org.incipit.nn.Parameter;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.layers.ReferencePoints;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A one-query polyline decoder in the style of LaneSegNet's (Li et al. 2024, arXiv:2312.16108): a
 * learned query embedding q gives the initial reference points ({@link ReferencePoints}, identical
 * or independent), and L layers refine them from the scene's features:
 * <pre>
 * e = ReLU(W_e·x)                                 scene (N, C)
 * refs₀ = ReferencePoints(q)                      (P, 2), the same prior for every scene
 * h_l = ReLU(A_l·[e, q, flatten(refs_l)])         (N, C)
 * refs_{l+1} = σ(B_l·h_l + σ⁻¹(refs_l)),  refs_l detached   (N, P, 2)
 * </pre>
 * The decoder's own layers keep PyTorch's Linear defaults; q ~ N(0, 1).
 */
public final class PolylineDecoder extends Layer {
  private final Parameter query;
  private final ReferencePoints init;
  private final Linear encoder;
  private final ModuleList<Linear> hidden;
  private final ModuleList<Linear> deltas;
  private final int points;

  /** {@code in} scene features, width {@code width}, P = {@code points}, {@code layers} refinements. */
  public PolylineDecoder(int in, int width, int points, int layers, ReferencePoints.Mode mode, Rng rng) {
    if (layers < 1) {
      throw new IllegalArgumentException("polyline decoder: needs ≥ 1 refinement layer, got " + layers);
    }
    this.points = points;
    this.query = param("query", Shape.of(1, width), Initializers.normal(0, 1), rng);
    this.init = child("refs", new ReferencePoints(width, points, 2, mode, rng.fork("refs")));
    this.encoder = child("encoder", new Linear(in, width, rng.fork("encoder")));
    List<Linear> a = new ArrayList<>();
    List<Linear> b = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      a.add(new Linear(2 * width + 2 * points, width, rng.fork("hidden").fork(l)));
      b.add(new Linear(width, 2 * points, rng.fork("deltas").fork(l)));
    }
    this.hidden = child("hidden", new ModuleList<>(a));
    this.deltas = child("deltas", new ModuleList<>(b));
  }

  @Override
  protected Tensor compute(Tensor x) {
    List<Tensor> all = refinements(x);
    return all.get(all.size() - 1);
  }

  /** The initial points (1, P, 2) then the points after each layer (N, P, 2). */
  public List<Tensor> refinements(Tensor x) {
    int n = x.size(0);
    Tensor e = encoder.forward(x).relu();                             // (N, C)
    Tensor q = query.value().expand(n, query.shape().dim(1));         // (N, C)
    Tensor refs = init.forward(query.value());                        // (1, P, 2)
    List<Tensor> out = new ArrayList<>();
    out.add(refs);
    refs = refs.expand(n, points, 2);                                 // (N, P, 2)
    for (int l = 0; l < hidden.size(); l++) {
      Tensor flat = refs.detach().reshape(n, 2 * points);             // (N, 2P)
      Tensor h = hidden.get(l).forward(Tensors.cat(1, e, q, flat)).relu(); // (N, C)
      Tensor delta = deltas.get(l).forward(h).reshape(n, points, 2);  // (N, P, 2)
      refs = ReferencePoints.refine(refs, delta);                     // (N, P, 2)
      out.add(refs);
    }
    return out;
  }

  public ReferencePoints referencePoints() {
    return init;
  }
}
