package org.incipit.optim;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;
import org.incipit.tensor.cpu.CpuBuffer;
import org.incipit.tensor.cpu.Parallel;
import org.incipit.tensor.cpu.VectorSupport;

/**
 * One-pass CPU loops of the optimizer updates, for F32 tensors in the CPU backend. Each loop does
 * exactly the float operations, in the same order and with the same rounding of the scalar
 * factors, as the Tensor-op path it replaces, so the results are bit-identical
 * ({@code CpuUpdatesTest}) — only the dozen passes and allocations per parameter are gone. Other
 * devices and dtypes take the Tensor-op path. With {@code inPlace} the state buffers are
 * overwritten (each element is read before it is written) and returned as they were; the caller
 * passes it only for buffers no one else holds. The parameter always gets a new array: its old
 * value may still be held (a recorded graph, the gradients keyed by it, the caller).
 */
final class CpuUpdates {
  /** Tests turn the fast path off to compare it with the Tensor-op path. */
  static boolean enabled = true;
  /** Number of fused updates run (tests check that the fast path was taken). */
  static long calls;

  private static final int GRAIN = 1 << 14;

  private CpuUpdates() {}

  /** True when every tensor is a contiguous F32 tensor of the CPU backend. */
  static boolean applies(Tensor... ts) {
    if (!enabled) {
      return false;
    }
    for (Tensor t : ts) {
      if (t != null && (t.dtype() != DType.F32 || !(t.buffer() instanceof CpuBuffer) || !t.isContiguous())) {
        return false;
      }
    }
    return true;
  }

  static float[] data(Tensor t) {
    return ((CpuBuffer) t.buffer()).f32();
  }

  static Tensor wrap(float[] values, Shape shape) {
    return Tensor.wrap(CpuBuffer.adopt(values), shape);
  }

  /**
   * AdamW, as {@code AdamW.update}: p ← p·(1 − lr·wd); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
   * p ← p − (m / (√v̂·(1/√bc₂) + ε))·(lr/bc₁), v̂ = v or max(vmax, v). Returns {p, m, v, vmax or null}.
   */
  static Tensor[] adamw(Tensor p, Tensor g, Tensor m, Tensor v, Tensor vmax, double lr, double wd, double b1, double b2,
                   double eps, double bc1, double bc2, boolean amsgrad, boolean inPlace) {
    calls++;
    int n = p.numel();
    float[] pp = data(p);
    float[] gg = data(g);
    float[] mm = m == null ? null : data(m);
    float[] vv = v == null ? null : data(v);
    float[] vx = vmax == null ? null : data(vmax);
    float[] po = new float[n];
    float[] mo = output(mm, inPlace, n);
    float[] vo = output(vv, inPlace, n);
    float[] xo = amsgrad ? output(vx, inPlace, n) : null;
    float decay = (float) (1 - lr * wd);
    float fb1 = (float) b1;
    float fg1 = (float) (1 - b1);
    float fb2 = (float) b2;
    float fg2 = (float) (1 - b2);
    float inv = (float) (1 / Math.sqrt(bc2));
    float feps = (float) eps;
    float step = (float) (lr / bc1);
    boolean decays = wd != 0;
    if (xo == null && VectorSupport.AVAILABLE) {
      Parallel.range(n, GRAIN, (f, t) -> VectorAdamW.run(pp, gg, mm, vv, po, mo, vo, f, t, decays, decay, fb1, fg1, fb2,
          fg2, inv, feps, step));
    } else {
      Parallel.range(n, GRAIN, (f, t) -> adamwRange(pp, gg, mm, vv, vx, po, mo, vo, xo, f, t, decays, decay, fb1, fg1,
          fb2, fg2, inv, feps, step));
    }
    Shape s = p.shape();
    return new Tensor[] {wrap(po, s), result(m, mo, s), result(v, vo, s), xo == null ? null : result(vmax, xo, s)};
  }

  /** The array a state buffer's update writes: the buffer itself when in place, else a new one. */
  private static float[] output(float[] old, boolean inPlace, int n) {
    return inPlace && old != null ? old : new float[n];
  }

  /** The state tensor after its update: {@code old} itself when {@code values} is its array. */
  private static Tensor result(Tensor old, float[] values, Shape s) {
    return old != null && data(old) == values ? old : wrap(values, s);
  }

  /**
   * The scalar AdamW loop over [from, to) ({@code vx} and {@code xo} null without amsgrad; m and v
   * null on the first step); {@link VectorAdamW} runs it on the tails of its ranges.
   */
  static void adamwRange(float[] pp, float[] gg, float[] mm, float[] vv, float[] vx, float[] po, float[] mo, float[] vo,
                         float[] xo, int from, int to, boolean decays, float decay, float fb1, float fg1, float fb2,
                         float fg2, float inv, float feps, float step) {
    for (int i = from; i < to; i++) {
      float pi = decays ? pp[i] * decay : pp[i];
      float gi = gg[i];
      float mi = (mm == null ? 0f : mm[i] * fb1) + gi * fg1;
      float vi = (vv == null ? 0f : vv[i] * fb2) + (gi * gi) * fg2;
      mo[i] = mi;
      vo[i] = vi;
      float vb = vi;
      if (xo != null) {
        vb = vx == null ? vi : Math.max(vx[i], vi);
        xo[i] = vb;
      }
      float denom = (float) Math.sqrt(vb) * inv + feps;
      po[i] = pi - (mi / denom) * step;
    }
  }

  /**
   * SGD, as {@code Sgd.update}: d = g + wd·p; buf ← μ·buf + (1−τ)d (or d on the first step);
   * d = d + μ·buf (Nesterov) or buf; p ← p − d·lr. Returns {p, buf or null}.
   */
  static Tensor[] sgd(Tensor p, Tensor g, Tensor buf, boolean inPlace, double lr, double wd, double momentum,
                      double dampening, boolean nesterov) {
    calls++;
    int n = p.numel();
    float[] pp = data(p);
    float[] gg = data(g);
    float[] bb = buf == null ? null : data(buf);
    boolean withMomentum = momentum != 0;
    float[] po = new float[n];
    float[] bo = withMomentum ? output(bb, inPlace, n) : null;
    float fwd = (float) wd;
    float fmu = (float) momentum;
    float fdamp = (float) (1 - dampening);
    float flr = (float) lr;
    Parallel.range(n, GRAIN, (f, t) -> {
      for (int i = f; i < t; i++) {
        float d = wd != 0 ? gg[i] + pp[i] * fwd : gg[i];
        if (withMomentum) {
          float b = bb == null ? d : bb[i] * fmu + (dampening != 0 ? d * fdamp : d);
          bo[i] = b;
          d = nesterov ? d + b * fmu : b;
        }
        po[i] = pp[i] - d * flr;
      }
    });
    Shape s = p.shape();
    return new Tensor[] {wrap(po, s), bo == null ? null : result(buf, bo, s)};
  }

  /**
   * SGD-SaI, as {@code SgdSai.update}: buf ← μ·buf + (1−μ)g (g on the first step);
   * p ← p·(1 − lr·wd) − buf·(lr·gsnr). Returns {p, buf or null}.
   */
  static Tensor[] sgdSai(Tensor p, Tensor g, Tensor buf, boolean inPlace, double lr, double wd, double momentum,
                         double snr) {
    calls++;
    int n = p.numel();
    float[] pp = data(p);
    float[] gg = data(g);
    float[] bb = buf == null ? null : data(buf);
    boolean withMomentum = momentum != 0;
    float[] po = new float[n];
    float[] bo = withMomentum ? output(bb, inPlace, n) : null;
    float fmu = (float) momentum;
    float fg = (float) (1 - momentum);
    float decay = (float) (1 - lr * wd);
    float scale = (float) (lr * snr);
    Parallel.range(n, GRAIN, (f, t) -> {
      for (int i = f; i < t; i++) {
        float d = gg[i];
        if (withMomentum) {
          d = bb == null ? gg[i] : bb[i] * fmu + gg[i] * fg;
          bo[i] = d;
        }
        float pi = wd != 0 ? pp[i] * decay : pp[i];
        po[i] = pi - d * scale;
      }
    });
    Shape s = p.shape();
    return new Tensor[] {wrap(po, s), bo == null ? null : result(buf, bo, s)};
  }
}
