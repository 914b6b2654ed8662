package org.incipit.autograd;

import java.util.Arrays;
import org.incipit.autograd.ops.*;
import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Layout;
import org.incipit.tensor.Shape;

/**
 * An immutable n-dimensional array with an optional tape node: the user-facing type of Incipit.
 *
 * <p>Every op returns a new tensor; views (reshape, permute, expand, slice) share the buffer.
 * A tensor made by an op from inputs that require gradients records (op, rule, inputs), and
 * {@link #backward()} walks that tape once and <em>returns</em> the gradients — nothing is
 * accumulated anywhere. Only F32/F64 tensors take gradients.
 *
 * <pre>{@code
 * Tensor w = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2).withGrad();
 * Tensor x = Tensors.of(new float[] {1, -1}, 2);
 * Tensor loss = w.matmul(x).tanh().sum();
 * Gradients g = loss.backward();
 * Tensor dw = g.of(w);                       // (2, 2)
 * }</pre>
 *
 * Factories live in {@link Tensors}; neural-network functions (softmax, losses, convolution,
 * normalisation, attention) in {@link Functional}.
 */
public final class Tensor {
  private final Buffer buffer;
  private final Layout layout;
  private final Node node;
  private final boolean requiresGrad;

  private Tensor(Buffer buffer, Layout layout, Node node, boolean requiresGrad) {
    this.buffer = buffer;
    this.layout = layout;
    this.node = node;
    this.requiresGrad = requiresGrad;
  }

  /** A leaf over {@code buffer} seen through {@code layout}; it does not require gradients. */
  public static Tensor wrap(Buffer buffer, Layout layout) {
    return new Tensor(buffer, layout, null, false);
  }

  /** A contiguous leaf over {@code buffer} with shape {@code shape}. */
  public static Tensor wrap(Buffer buffer, Shape shape) {
    if (buffer.size() != shape.numel()) {
      throw new IllegalArgumentException("a buffer of " + buffer.size() + " elements cannot have shape " + shape
          + " (" + shape.numel() + " elements)");
    }
    return wrap(buffer, Layout.contiguous(shape));
  }

  /**
   * The result of a primitive op: records (op, rule, inputs) when any input requires gradients and
   * no {@link NoGrad} scope is active. This is the one entry point op implementations use.
   */
  public static Tensor record(String op, Buffer buffer, Layout layout, BackwardRule rule, Tensor... inputs) {
    boolean grad = false;
    if (!NoGrad.isActive() && buffer.dtype().isFloating()) {
      for (Tensor in : inputs) {
        grad |= in != null && in.requiresGrad;
      }
    }
    Tensor out = new Tensor(buffer, layout, grad ? new Node(op, rule, inputs) : null, grad);
    if (Anomaly.isActive()) {
      Anomaly.check(out, "op '" + op + "'", inputs);
    }
    return out;
  }

  /** {@link #record(String, Buffer, Layout, BackwardRule, Tensor...)} with a contiguous result. */
  public static Tensor record(String op, Buffer buffer, Shape shape, BackwardRule rule, Tensor... inputs) {
    return record(op, buffer, Layout.contiguous(shape), rule, inputs);
  }

  // ---------------------------------------------------------------- properties

  public Shape shape() {
    return layout.shape();
  }

  /** Size of axis {@code axis} (negative counts from the end). */
  public int size(int axis) {
    return layout.shape().dim(axis);
  }

  public int rank() {
    return layout.shape().rank();
  }

  public int numel() {
    return layout.shape().numel();
  }

  public DType dtype() {
    return buffer.dtype();
  }

  public Backend backend() {
    return buffer.backend();
  }

  public Layout layout() {
    return layout;
  }

  /** The underlying buffer (shared by views; read it through {@link #layout()}). */
  public Buffer buffer() {
    return buffer;
  }

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** True when no op produced this tensor on the tape (parameters, inputs, constants). */
  public boolean isLeaf() {
    return node == null;
  }

  /** Name of the op that produced this tensor on the tape, or {@code null} for a leaf. */
  public String op() {
    return node == null ? null : node.op();
  }

  Node node() {
    return node;
  }

  // ---------------------------------------------------------------- gradients

  /**
   * A leaf sharing this tensor's values that requires gradients.
   *
   * @throws IllegalArgumentException for integer and boolean tensors
   */
  public Tensor withGrad() {
    if (!dtype().isFloating()) {
      throw new IllegalArgumentException("only floating tensors can require gradients; this one is " + dtype());
    }
    return new Tensor(buffer, layout, null, true);
  }

  /** A leaf sharing this tensor's values that does not require gradients. */
  public Tensor detach() {
    return node == null && !requiresGrad ? this : new Tensor(buffer, layout, null, false);
  }

  /** Gradients of this scalar with respect to every leaf that requires them. */
  public Gradients backward() {
    if (numel() != 1) {
      throw new IllegalArgumentException("backward() without a gradient needs a single-element tensor; this one has shape "
          + shape() + " (pass the upstream gradient explicitly)");
    }
    return backward(Tensors.full(shape(), 1.0, dtype(), device()), GradMode.FIRST_ORDER);
  }

  /** Gradients of sum(this · gradOutput) with respect to every leaf that requires them. */
  public Gradients backward(Tensor gradOutput) {
    return backward(gradOutput, GradMode.FIRST_ORDER);
  }

  /** As {@link #backward(Tensor)}; {@link GradMode#CREATE_GRAPH} keeps the gradients differentiable. */
  public Gradients backward(Tensor gradOutput, GradMode mode) {
    return Autograd.grad(this, gradOutput, mode);
  }

  // ---------------------------------------------------------------- data

  public Device device() {
    return Device.of(buffer.backend());
  }

  /** The elements in row-major order as doubles. */
  public double[] toDoubles() {
    return backend().toDoubles(contiguous().buffer);
  }

  /** The elements in row-major order as floats. */
  public float[] toFloats() {
    return backend().toFloats(contiguous().buffer);
  }

  /** The elements of an integer or boolean tensor in row-major order. */
  public long[] toLongs() {
    return backend().toLongs(contiguous().buffer);
  }

  /** The single element of a one-element tensor. */
  public double item() {
    if (numel() != 1) {
      throw new IllegalArgumentException("item() needs a single-element tensor, got shape " + shape());
    }
    return toDoubles()[0];
  }

  /** A contiguous tensor with the same values: this one when it already is contiguous from offset 0. */
  public Tensor contiguous() {
    return Contiguous.apply(this);
  }

  /** True when the buffer holds exactly this tensor's elements in row-major order. */
  public boolean isContiguous() {
    return layout.isWhole(buffer.size());
  }

  /** This tensor's values converted to {@code to} (differentiable between float types). */
  public Tensor cast(DType to) {
    return Cast.apply(this, to);
  }

  /** This tensor on {@code device} (the same tensor when it is already there). */
  public Tensor to(Device device) {
    return ToDevice.apply(this, device);
  }

  // ---------------------------------------------------------------- elementwise

  public Tensor neg() { return Neg.apply(this); }
  public Tensor exp() { return Exp.apply(this); }
  public Tensor log() { return Log.apply(this); }
  public Tensor sqrt() { return Sqrt.apply(this); }
  public Tensor reciprocal() { return Reciprocal.apply(this); }
  public Tensor sin() { return Sin.apply(this); }
  public Tensor cos() { return Cos.apply(this); }
  public Tensor tanh() { return Tanh.apply(this); }
  public Tensor sigmoid() { return Sigmoid.apply(this); }
  public Tensor abs() { return Abs.apply(this); }
  public Tensor sign() { return Sign.apply(this); }
  public Tensor relu() { return Relu.apply(this); }
  public Tensor erf() { return Erf.apply(this); }
  public Tensor pow(double exponent) { return PowScalar.apply(this, exponent); }
  public Tensor square() { return mul(this); }

  public Tensor add(Tensor other) { return Add.apply(this, other); }
  public Tensor sub(Tensor other) { return Sub.apply(this, other); }
  public Tensor mul(Tensor other) { return Mul.apply(this, other); }
  public Tensor div(Tensor other) { return Div.apply(this, other); }
  public Tensor maximum(Tensor other) { return Maximum.apply(this, other); }
  /** Elementwise minimum: −max(−a, −b), so ties split the gradient as in {@link #maximum}. */
  public Tensor minimum(Tensor other) { return neg().maximum(other.neg()).neg(); }

  public Tensor add(double s) { return AddScalar.apply(this, s); }
  public Tensor sub(double s) { return AddScalar.apply(this, -s); }
  /** s − this. */
  public Tensor rsub(double s) { return neg().add(s); }
  public Tensor mul(double s) { return MulScalar.apply(this, s); }
  public Tensor div(double s) { return MulScalar.apply(this, 1.0 / s); }

  public Tensor lt(Tensor other) { return Compare.apply(Compare.LT, this, other); }
  public Tensor le(Tensor other) { return Compare.apply(Compare.LE, this, other); }
  public Tensor gt(Tensor other) { return Compare.apply(Compare.GT, this, other); }
  public Tensor ge(Tensor other) { return Compare.apply(Compare.GE, this, other); }
  public Tensor eq(Tensor other) { return Compare.apply(Compare.EQ, this, other); }
  public Tensor ne(Tensor other) { return Compare.apply(Compare.NE, this, other); }
  public Tensor lt(double s) { return Compare.apply(Compare.LT_SCALAR, this, s); }
  public Tensor le(double s) { return Compare.apply(Compare.LE_SCALAR, this, s); }
  public Tensor gt(double s) { return Compare.apply(Compare.GT_SCALAR, this, s); }
  public Tensor ge(double s) { return Compare.apply(Compare.GE_SCALAR, this, s); }
  public Tensor eq(double s) { return Compare.apply(Compare.EQ_SCALAR, this, s); }
  public Tensor ne(double s) { return Compare.apply(Compare.NE_SCALAR, this, s); }

  /** This tensor where {@code mask} is false and {@code value} where it is true. */
  public Tensor maskedFill(Tensor mask, double value) {
    return Where.apply(mask, constant(value), this);
  }

  /** A 0-d constant of this tensor's dtype and device. */
  public Tensor constant(double value) {
    return Tensors.full(Shape.scalar(), value, dtype(), device());
  }

  // ---------------------------------------------------------------- reductions

  /** Sum of all elements (0-d). */
  public Tensor sum() { return Sum.apply(this, allAxes(), false); }
  /** Sum over {@code dims}, which are removed. */
  public Tensor sum(int... dims) { return Sum.apply(this, dims, false); }
  /** Sum over {@code dims}, which are kept with size 1. */
  public Tensor sumKeepDims(int... dims) { return Sum.apply(this, dims, true); }
  public Tensor mean() { return sum().div(numel()); }
  public Tensor mean(int... dims) { return sum(dims).div(count(dims)); }
  public Tensor meanKeepDims(int... dims) { return sumKeepDims(dims).div(count(dims)); }
  /** Maximum along {@code dim}, removed; the gradient goes to the (first) arg max. */
  public Tensor max(int dim) { return Max.apply(this, dim, false); }
  public Tensor maxKeepDims(int dim) { return Max.apply(this, dim, true); }
  /** Index of the (first) maximum along {@code dim}, as I64, the axis removed. */
  public Tensor argmax(int dim) { return Max.argmax(this, dim); }

  int[] allAxes() {
    int[] a = new int[rank()];
    for (int i = 0; i < a.length; i++) {
      a[i] = i;
    }
    return a;
  }

  private int count(int[] dims) {
    if (dims.length == 0) {
      return numel();
    }
    int n = 1;
    for (int d : dims) {
      n *= size(d);
    }
    return n;
  }

  // ---------------------------------------------------------------- views and shape

  /** The same elements with shape {@code dims} (one entry may be −1); a view when strides allow. */
  public Tensor reshape(int... dims) { return Reshape.apply(this, dims); }
  public Tensor flatten() { return reshape(numel()); }
  public Tensor permute(int... dims) { return Permute.apply(this, dims); }
  public Tensor transpose(int dim0, int dim1) {
    int[] p = allAxes();
    int a = shape().axis(dim0);
    int b = shape().axis(dim1);
    p[a] = b;
    p[b] = a;
    return permute(p);
  }
  /** A broadcast view with shape {@code dims}. */
  public Tensor expand(int... dims) { return Expand.apply(this, Shape.of(dims)); }
  public Tensor expand(Shape shape) { return Expand.apply(this, shape); }
  /** A new axis of size 1 at {@code dim} (0..rank, negative counts from the end). */
  public Tensor unsqueeze(int dim) {
    return reshape(shape().insert(dim < 0 ? dim + rank() + 1 : dim, 1).dims());
  }
  /** Removes axis {@code dim}, which must have size 1. */
  public Tensor squeeze(int dim) {
    if (size(dim) != 1) {
      throw new IllegalArgumentException("squeeze: dimension " + dim + " of " + shape() + " has size " + size(dim) + ", not 1");
    }
    return reshape(shape().without(dim).dims());
  }
  /** {@code x[..., start:end:step, ...]} along {@code dim} (a view). */
  public Tensor slice(int dim, int start, int end, int step) { return Slice.apply(this, dim, start, end, step); }
  public Tensor slice(int dim, int start, int end) { return slice(dim, start, end, 1); }
  /** The sub-tensor at {@code index} along {@code dim}, the axis removed. */
  public Tensor select(int dim, int index) {
    int n = size(dim);
    if (index < -n || index >= n) {
      throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + dim
          + " of size " + n);
    }
    int i = index < 0 ? index + n : index;
    return slice(dim, i, i + 1, 1).squeeze(dim);
  }

  // ---------------------------------------------------------------- indexing and products

  /** torch.gather: {@code out[..i..] = this[.., index[..i..], ..]} along {@code dim}. */
  public Tensor gather(int dim, Tensor index) { return Gather.apply(this, dim, index); }
  /** torch.scatter_add: a copy of this with {@code src} added at {@code index} along {@code dim}. */
  public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return ScatterAdd.apply(this, dim, index, src); }
  /** Entries {@code index} (1-D) along {@code dim}. */
  public Tensor indexSelect(int dim, Tensor index) { return IndexSelect.apply(this, dim, index); }
  /** A copy of this with the slices of {@code src} added at positions {@code index} along {@code dim}. */
  public Tensor indexAdd(int dim, Tensor index, Tensor src) { return IndexAdd.apply(this, dim, index, src); }
  /** torch.matmul: 1-D promotion and batch broadcasting. */
  public Tensor matmul(Tensor other) { return MatMul.matmul(this, other); }

  @Override
  public String toString() {
    String values;
    if (numel() <= 64) {
      values = dtype().isFloating() ? Arrays.toString(toDoubles()) : Arrays.toString(toLongs());
    } else {
      values = "[" + numel() + " elements]";
    }
    return "Tensor" + shape() + " " + dtype() + (requiresGrad ? " requiresGrad" : "")
        + (node != null ? " op=" + node.op() : "") + " " + values;
  }
}
