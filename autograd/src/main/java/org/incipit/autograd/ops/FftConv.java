package org.incipit.autograd.ops;

import org.incipit.autograd.BackwardRule;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Fft;
import org.incipit.tensor.Layout;
import org.incipit.tensor.Shape;

/**
 * Causal convolution and correlation along the last axis by FFT: the long convolution of an SSM
 * layer (S4, S4D), O(L log L) instead of O(L²). Operands (…, L) share L; the leading axes
 * broadcast.
 * <pre>
 * convolve(a, b)   y[t] = Σ_{s=0}^{t} a[s]·b[t−s]          t = 0 … L−1
 * correlate(a, b)  y[s] = Σ_{t=s}^{L−1} a[t]·b[t−s]        s = 0 … L−1
 * </pre>
 * Each is computed as irfft(rfft(a)·rfft(b)) — with conj rfft(b) for the correlation — over a
 * zero padding to the power of two n ≥ 2L, so the circular product equals the linear one on the
 * first L outputs ({@link Fft#causal}).
 *
 * <p>Derivatives. The two are adjoint to each other, so the family is closed under
 * differentiation and the rule calls this op again (second order works):
 * <pre>
 * y = convolve(a, b):   da = correlate(dy, b),   db = correlate(dy, a)
 * y = correlate(a, b):  da = convolve(dy, b),    db = correlate(a, dy)
 * </pre>
 * (for the convolution, ∂y[t]/∂a[s] = b[t−s], so da[s] = Σ_{t≥s} dy[t]·b[t−s]; for the
 * correlation, ∂y[s]/∂a[t] = b[t−s], so da[t] = Σ_{s≤t} dy[s]·b[t−s], and y[s] holds a[s+j]·b[j],
 * so db[j] = Σ_s a[s+j]·dy[s]). Gradients come back in the broadcast shape; the engine sums them
 * to each operand's shape.
 *
 * <p>Backends. There is no device kernel: the operands are read to the host, transformed in
 * double precision (in parallel over rows) and the result is uploaded in the operands' dtype, on
 * every backend. CPU and OpenCL therefore give bit-identical results; on a GPU this costs a
 * round trip per call, which the SSM layers' small (H, L) kernels tolerate.
 *
 * <pre>{@code
 * Tensor k = ...;                               // (H, L) kernel
 * Tensor y = FftConv.convolve(u, k);            // u (B, H, L) → (B, H, L)
 * }</pre>
 */
public final class FftConv {
  private FftConv() {}

  /** y[…, t] = Σ_{s≤t} a[…, s]·b[…, t−s]. */
  public static Tensor convolve(Tensor a, Tensor b) {
    return apply(false, a, b);
  }

  /** y[…, s] = Σ_{t≥s} a[…, t]·b[…, t−s]. */
  public static Tensor correlate(Tensor a, Tensor b) {
    return apply(true, a, b);
  }

  static final BackwardRule CONVOLVE_RULE = (gy, y, in) -> new Tensor[] {correlate(gy, in[1]), correlate(gy, in[0])};
  static final BackwardRule CORRELATE_RULE = (gy, y, in) -> new Tensor[] {convolve(gy, in[1]), correlate(in[0], gy)};

  private static Tensor apply(boolean correlate, Tensor a, Tensor b) {
    String op = correlate ? "fft_correlate" : "fft_convolve";
    Devices.requireSame(op, a, b);
    Elementwise.requireFloating(op, a);
    Elementwise.requireFloating(op, b);
    if (a.rank() == 0 || b.rank() == 0 || a.size(-1) != b.size(-1)) {
      throw new IllegalArgumentException(op + ": needs operands (…, L) with the same L, got " + a.shape()
          + " and " + b.shape());
    }
    int length = a.size(-1);
    Shape lead = Shape.broadcast(op, lead(a.shape()), lead(b.shape()));
    Shape out = lead.insert(lead.rank(), length);
    DType type = DType.promote(a.dtype(), b.dtype());
    if (out.numel() == 0) {
      return Tensor.record(op, a.backend().zeros(type, 0), out, correlate ? CORRELATE_RULE : CONVOLVE_RULE, a, b);
    }
    double[] y = Fft.causal(correlate, a.detach().toDoubles(), rows(a.shape(), lead),
        b.detach().toDoubles(), rows(b.shape(), lead), length);
    Buffer buffer = a.backend().fromHost(type, y);
    return Tensor.record(op, buffer, out, correlate ? CORRELATE_RULE : CONVOLVE_RULE, a, b);
  }

  /** The leading axes of (…, L). */
  private static Shape lead(Shape s) {
    return Shape.of(java.util.Arrays.copyOf(s.dims(), s.rank() - 1));
  }

  /** For each row of the broadcast leading shape, the row of an operand of shape {@code s} it reads. */
  private static int[] rows(Shape s, Shape lead) {
    Layout broadcast = Layout.contiguous(lead(s)).expand(lead); // broadcasting by the view's strides
    int[] out = new int[lead.numel()];
    for (int i = 0; i < out.length; i++) {
      out[i] = broadcast.bufferIndex(i);
    }
    return out;
  }
}
