package org.incipit.init;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * A (semi-)orthogonal matrix times {@code gain} (Saxe, McClelland, Ganguli 2013, "Exact solutions
 * to the nonlinear dynamics of learning in deep linear neural networks", arXiv:1312.6120), as
 * PyTorch's {@code orthogonal_}: the weight is flattened to rows = shape[0], cols = numel/rows;
 * M ~ N(0, 1) (transposed when rows &lt; cols); reduced QR M = QR; Q ← Q·diag(sign(diag R)) so that
 * Q is Haar-distributed; transposed back and scaled.
 * <pre>W Wᵀ = gain² I (rows ≤ cols),   Wᵀ W = gain² I (rows ≥ cols)</pre>
 * The QR runs in single precision (EJML's fdense).
 *
 * <p>For a weight of rank &gt; 2 (a conv kernel) "orthogonal" is ambiguous: PyTorch flattens it
 * to (out, in·k…), which makes the whole kernel orthogonal, not each spatial tap (the
 * delta-orthogonal of Xiao et al. 2018 is another choice). {@link #flattened()} states that the
 * flattening is meant; {@code incipit lint} flags an orthogonal init on a rank &gt; 2 tensor
 * whose reshape was not stated.
 */
public record Orthogonal(double gain, boolean reshapeStated) implements Initializer {
  /** Orthogonal times {@code gain}; the reshape of tensors of rank &gt; 2 not stated. */
  public Orthogonal(double gain) {
    this(gain, false);
  }

  /** This initializer, stating that a tensor of rank &gt; 2 is meant to be flattened to (out, Π rest). */
  public Orthogonal flattened() {
    return new Orthogonal(gain, true);
  }

  /** Std gain/√max(rows, cols): every row (or column) of the flattened matrix has norm gain. */
  @Override
  public Expected expected(Shape shape, Fans fans) {
    int rows = shape.dim(0);
    int cols = shape.numel() / Math.max(1, rows);
    return new Expected(gain, 0, Math.abs(gain) / Math.sqrt(Math.max(rows, cols)), Math.abs(gain));
  }

  @Override
  public Tensor create(Shape shape, Fans fans, Rng rng) {
    if (shape.rank() < 2) {
      throw new IllegalArgumentException("orthogonal: needs at least 2 dimensions, got " + shape);
    }
    int rows = shape.dim(0);
    int cols = shape.numel() / Math.max(1, rows);
    boolean transpose = rows < cols;
    int r = transpose ? cols : rows;
    int c = transpose ? rows : cols;
    double[] z = rng.normal(r * c);
    FMatrixRMaj m = new FMatrixRMaj(r, c);
    for (int i = 0; i < z.length; i++) {
      m.data[i] = (float) z[i];
    }
    QRDecomposition<FMatrixRMaj> qr = DecompositionFactory_FDRM.qr(r, c);
    if (!qr.decompose(m)) {
      throw new IllegalStateException("orthogonal: QR decomposition failed for a " + r + "x" + c + " matrix");
    }
    FMatrixRMaj q = qr.getQ(null, true); // r × c
    FMatrixRMaj rr = qr.getR(null, true); // c × c
    double[] out = new double[rows * cols];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        double sign = rr.get(j, j) < 0 ? -1 : 1;
        double v = gain * sign * q.get(i, j);
        out[transpose ? j * cols + i : i * cols + j] = v;
      }
    }
    return Tensors.of(DType.F32, out, shape.dims());
  }
}
