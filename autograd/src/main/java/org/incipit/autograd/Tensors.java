package org.incipit.autograd;

import java.util.Arrays;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * Factories for tensors. Unless a {@link Device} is given, tensors are made on the CPU; unless a
 * {@link DType} is given, floating tensors are F32. Random tensors take an explicit {@link Rng}
 * and are drawn on the host in double precision, so a seed gives the same values on every device.
 */
public final class Tensors {
  private Tensors() {}

  /** A F32 tensor holding {@code data} (row-major) with shape {@code shape}. */
  public static Tensor of(float[] data, int... shape) {
    return Tensor.wrap(Device.cpu().backend().fromHost(data), checked(data.length, shape));
  }

  /** A tensor of {@code dtype} holding {@code data} (row-major, converted) with shape {@code shape}. */
  public static Tensor of(DType dtype, double[] data, int... shape) {
    return of(dtype, data, Shape.of(shape), Device.cpu());
  }

  /** A tensor of {@code dtype} holding {@code data} on {@code device}. */
  public static Tensor of(DType dtype, double[] data, Shape shape, Device device) {
    checked(data.length, shape.dims());
    return Tensor.wrap(device.backend().fromHost(dtype, data), shape);
  }

  /** An I64 tensor holding {@code data} with shape {@code shape}. */
  public static Tensor ofLongs(long[] data, int... shape) {
    return Tensor.wrap(Device.cpu().backend().fromHost(DType.I64, data), checked(data.length, shape));
  }

  /** An I64 tensor holding the int values {@code data}, widened, with shape {@code shape} (e.g. index ids). */
  public static Tensor ofInts(int[] data, int... shape) {
    return ofLongs(Arrays.stream(data).asLongStream().toArray(), shape);
  }

  /** A BOOL tensor holding {@code data} with shape {@code shape}. */
  public static Tensor ofBooleans(boolean[] data, int... shape) {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i] ? 1 : 0;
    }
    return of(DType.BOOL, d, shape);
  }

  /** A 0-d F32 tensor. */
  public static Tensor scalar(double value) {
    return full(Shape.scalar(), value, DType.F32, Device.cpu());
  }

  public static Tensor zeros(int... shape) {
    return zeros(Shape.of(shape), DType.F32, Device.cpu());
  }

  public static Tensor zeros(Shape shape, DType dtype, Device device) {
    return Tensor.wrap(device.backend().zeros(dtype, shape.numel()), shape);
  }

  public static Tensor ones(int... shape) {
    return full(Shape.of(shape), 1.0, DType.F32, Device.cpu());
  }

  /** A tensor of {@code shape} filled with {@code value}. */
  public static Tensor full(Shape shape, double value, DType dtype, Device device) {
    return Tensor.wrap(device.backend().full(dtype, shape.numel(), value), shape);
  }

  /** Zeros with the shape, dtype and device of {@code like}. */
  public static Tensor zerosLike(Tensor like) {
    return zeros(like.shape(), like.dtype(), like.device());
  }

  /** Ones with the shape, dtype and device of {@code like}. */
  public static Tensor onesLike(Tensor like) {
    return full(like.shape(), 1.0, like.dtype(), like.device());
  }

  /** I64 values 0, 1, …, n−1. */
  public static Tensor arange(int n) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return ofLongs(v, n);
  }

  /** Standard normal F32 samples. */
  public static Tensor randn(Rng rng, int... shape) {
    return of(DType.F32, rng.normal(Shape.of(shape).numel()), shape);
  }

  /** Uniform F32 samples in [0, 1). */
  public static Tensor rand(Rng rng, int... shape) {
    return of(DType.F32, rng.uniform(Shape.of(shape).numel()), shape);
  }

  /** Concatenation along {@code dim}; all other sizes must agree. */
  public static Tensor cat(int dim, Tensor... parts) {
    return org.incipit.autograd.ops.Cat.apply(dim, parts);
  }

  /** Stacking along a new axis {@code dim}; all shapes must agree. */
  public static Tensor stack(int dim, Tensor... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("stack: needs at least one tensor");
    }
    Tensor[] expanded = new Tensor[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].shape().equals(parts[0].shape())) {
        throw new IllegalArgumentException("stack: tensor " + i + " has shape " + parts[i].shape()
            + " but tensor 0 has " + parts[0].shape());
      }
      expanded[i] = parts[i].unsqueeze(dim);
    }
    return cat(dim, expanded);
  }

  /** {@code cond ? a : b} elementwise, broadcasting all three. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    return org.incipit.autograd.ops.Where.apply(cond, a, b);
  }

  private static Shape checked(int length, int[] shape) {
    Shape s = Shape.of(shape);
    if (s.numel() != length) {
      throw new IllegalArgumentException(length + " values cannot fill shape " + s + " (" + s.numel() + " elements)");
    }
    return s;
  }
}
