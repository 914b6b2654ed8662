package org.incipit.tensor.cpu;

import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Kernel;
import org.incipit.tensor.Layout;

/**
 * The reference backend: plain Java arrays, loops split over {@link Parallel}'s pool. Elementwise
 * kernels run their CPU function per element; the hottest (add, sub, mul, div and scalar
 * multiply/add) have specialised loops the JIT vectorises.
 */
public final class CpuBackend implements Backend {
  /** The single CPU backend. */
  public static final CpuBackend INSTANCE = new CpuBackend();

  static final int GRAIN = 1 << 15;

  private CpuBackend() {}

  @Override
  public String name() {
    return "cpu";
  }

  static CpuBuffer cpu(Buffer b) {
    if (b instanceof CpuBuffer c) {
      return c;
    }
    throw new IllegalArgumentException("cpu backend: buffer lives on " + b.backend().name());
  }

  @Override
  public Buffer zeros(DType dtype, int n) {
    return CpuBuffer.allocate(dtype, n);
  }

  @Override
  public Buffer full(DType dtype, int n, double value) {
    CpuBuffer out = CpuBuffer.allocate(dtype, n);
    switch (dtype) {
      case F32 -> java.util.Arrays.fill(out.f32(), (float) value);
      case F64 -> java.util.Arrays.fill(out.f64(), value);
      default -> {
        for (int i = 0; i < n; i++) {
          out.set(i, value);
        }
      }
    }
    return out;
  }

  @Override
  public Buffer fromHost(DType dtype, double[] data) {
    if (dtype == DType.F64) {
      return new CpuBuffer(DType.F64, data.clone());
    }
    CpuBuffer out = CpuBuffer.allocate(dtype, data.length);
    for (int i = 0; i < data.length; i++) {
      out.set(i, data[i]);
    }
    return out;
  }

  @Override
  public Buffer fromHost(float[] data) {
    return new CpuBuffer(DType.F32, data.clone());
  }

  @Override
  public Buffer fromHost(DType dtype, long[] data) {
    CpuBuffer out = CpuBuffer.allocate(dtype, data.length);
    for (int i = 0; i < data.length; i++) {
      switch (dtype) {
        case I64 -> out.i64()[i] = data[i];
        case I32 -> out.i32()[i] = Math.toIntExact(data[i]);
        default -> out.set(i, data[i]);
      }
    }
    return out;
  }

  @Override
  public double[] toDoubles(Buffer buffer) {
    CpuBuffer b = cpu(buffer);
    if (b.dtype() == DType.F64) {
      return b.f64().clone();
    }
    double[] out = new double[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  @Override
  public float[] toFloats(Buffer buffer) {
    CpuBuffer b = cpu(buffer);
    if (b.dtype() == DType.F32) {
      return b.f32().clone();
    }
    float[] out = new float[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) b.get(i);
    }
    return out;
  }

  @Override
  public long[] toLongs(Buffer buffer) {
    CpuBuffer b = cpu(buffer);
    long[] out = new long[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getLong(i);
    }
    return out;
  }

  @Override
  public Buffer unary(Kernel.Unary kernel, Buffer x, double s) {
    return CpuElementwise.unary(kernel, cpu(x), s);
  }

  @Override
  public Buffer binary(Kernel.Binary kernel, Buffer a, Buffer b) {
    return CpuElementwise.binary(kernel, cpu(a), cpu(b));
  }

  @Override
  public Buffer binary(Kernel.Binary kernel, Buffer a, Layout aView, Buffer b, Layout bView) {
    CpuBuffer direct = CpuBroadcast.binary(kernel, cpu(a), aView, cpu(b), bView);
    return direct != null ? direct : Backend.super.binary(kernel, a, aView, b, bView);
  }

  @Override
  public Buffer where(Buffer cond, Buffer a, Buffer b) {
    return CpuElementwise.where(cpu(cond), cpu(a), cpu(b));
  }

  @Override
  public Buffer cast(Buffer x, DType to) {
    return CpuElementwise.cast(cpu(x), to);
  }

  @Override
  public Buffer reduce(Reduction kind, Buffer x, int outer, int n, int inner) {
    return CpuReduce.reduce(kind, cpu(x), outer, n, inner);
  }

  @Override
  public Buffer matmul(Buffer a, boolean aBatched, boolean transA, Buffer b, boolean bBatched, boolean transB,
                       int batch, int m, int k, int n) {
    CpuBuffer ca = cpu(a);
    CpuBuffer cb = cpu(b);
    if (ca.dtype() != cb.dtype() || !ca.dtype().isFloating()) {
      throw new IllegalArgumentException("matmul: needs two float buffers of one dtype, got "
          + ca.dtype() + " and " + cb.dtype());
    }
    CpuBuffer out = CpuBuffer.allocate(ca.dtype(), batch * m * n);
    int aStep = aBatched ? m * k : 0;
    int bStep = bBatched ? k * n : 0;
    Parallel.Range one = (from, to) -> {
      for (int i = from; i < to; i++) {
        if (ca.dtype() == DType.F32) {
          Gemm.sgemm(transA, transB, m, n, k, ca.f32(), i * aStep, cb.f32(), i * bStep, out.f32(), i * m * n);
        } else {
          Gemm.dgemm(transA, transB, m, n, k, ca.f64(), i * aStep, cb.f64(), i * bStep, out.f64(), i * m * n);
        }
      }
    };
    if (batch > 1 && ca.dtype() == DType.F32 && Gemm.singleThreaded(m, n, k)) {
      Parallel.range(batch, 1, one); // small products in parallel over the batch
    } else {
      one.run(0, batch);
    }
    return out;
  }

  @Override
  public Buffer copyStrided(Buffer src, Layout view) {
    return CpuStrided.copy(cpu(src), view);
  }

  @Override
  public Buffer scatterStrided(Buffer dst, Layout dstView, Buffer src) {
    CpuStrided.scatter(cpu(dst), dstView, cpu(src));
    return dst;
  }

  @Override
  public Buffer gather(Buffer src, int outer, int n, int inner, Buffer index, int m) {
    return CpuIndexing.gather(cpu(src), outer, n, inner, cpu(index), m);
  }

  @Override
  public Buffer scatterAdd(Buffer into, int outer, int n, int inner, Buffer index, Buffer src, int m) {
    return CpuIndexing.scatterAdd(cpu(into), outer, n, inner, cpu(index), cpu(src), m);
  }

  @Override
  public Buffer indexSelect(Buffer src, int outer, int n, int inner, Buffer index, int m) {
    return CpuIndexing.indexSelect(cpu(src), outer, n, inner, cpu(index), m);
  }

  @Override
  public Buffer indexAdd(Buffer into, int outer, int n, int inner, Buffer index, Buffer src, int m) {
    return CpuIndexing.indexAdd(cpu(into), outer, n, inner, cpu(index), cpu(src), m);
  }

  @Override
  public boolean hasFused(String name) {
    return switch (name) {
      case "softmax", "scaled_softmax", "softmax_backward", "cross_entropy", "bias_act", "layer_norm" -> true;
      default -> false;
    };
  }

  @Override
  public Buffer softmaxRows(Buffer x, int rows, int cols, boolean log) {
    return CpuSoftmax.rows(cpu(x), rows, cols, log);
  }

  @Override
  public Buffer scaledSoftmaxRows(Buffer x, int rows, int cols, int t, boolean causal, double scale) {
    return CpuScaledSoftmax.rows(cpu(x), rows, cols, t, causal, scale);
  }

  @Override
  public Buffer softmaxRowsBackward(Buffer dy, Buffer y, int rows, int cols, boolean log) {
    return CpuSoftmax.backward(cpu(dy), cpu(y), rows, cols, log);
  }

  @Override
  public Buffer crossEntropyRows(Buffer logits, Buffer target, int rows, int cols, double smoothing) {
    return CpuCrossEntropy.forward(cpu(logits), cpu(target), rows, cols, smoothing);
  }

  @Override
  public Buffer crossEntropyRowsBackward(Buffer logits, Buffer target, Buffer stats, Buffer g, int rows, int cols,
                                         double smoothing) {
    return CpuCrossEntropy.backward(cpu(logits), cpu(target), cpu(stats), cpu(g), rows, cols, smoothing);
  }

  @Override
  public Buffer biasActivation(Buffer z, Buffer bias, int rows, int cols, String act) {
    return CpuBiasActivation.forward(cpu(z), cpu(bias), rows, cols, act);
  }

  @Override
  public Buffer biasActivationBackward(Buffer dy, Buffer y, int rows, int cols, String act, Buffer db) {
    return CpuBiasActivation.backward(cpu(dy), cpu(y), rows, cols, act, db == null ? null : cpu(db));
  }

  @Override
  public Buffer[] layerNormRows(Buffer x, Buffer weight, Buffer bias, int rows, int cols, double eps) {
    return CpuLayerNorm.forward(cpu(x), weight == null ? null : cpu(weight), bias == null ? null : cpu(bias),
        rows, cols, eps);
  }

  @Override
  public Buffer[] layerNormRowsBackward(Buffer gy, Buffer x, Buffer mean, Buffer rstd, Buffer weight,
                                        int rows, int cols, boolean paramGrads) {
    return CpuLayerNorm.backward(cpu(gy), cpu(x), cpu(mean), cpu(rstd), weight == null ? null : cpu(weight),
        rows, cols, paramGrads);
  }

  @Override
  public String toString() {
    return "cpu";
  }
}
