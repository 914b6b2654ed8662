package org.incipit.tensor.cpu;

import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;

/**
 * A buffer on the Java heap: a {@code float[]} (F32), {@code double[]} (F64), {@code int[]} (I32),
 * {@code long[]} (I64) or {@code byte[]} of 0/1 (BOOL).
 */
public final class CpuBuffer implements Buffer {
  private final DType dtype;
  private final Object data;
  private final int size;

  CpuBuffer(DType dtype, Object data) {
    this.dtype = dtype;
    this.data = data;
    this.size = java.lang.reflect.Array.getLength(data);
  }

  /**
   * A F32 buffer over {@code data} itself, without a copy: the caller hands the array over and must
   * not write to it again (buffers are immutable once shared).
   */
  public static CpuBuffer adopt(float[] data) {
    return new CpuBuffer(DType.F32, data);
  }

  /** A zero-filled buffer. */
  static CpuBuffer allocate(DType dtype, int n) {
    return new CpuBuffer(dtype, switch (dtype) {
      case F32 -> new float[n];
      case F64 -> new double[n];
      case I32 -> new int[n];
      case I64 -> new long[n];
      case BOOL -> new byte[n];
    });
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Backend backend() {
    return CpuBackend.INSTANCE;
  }

  /** The backing array (float[], double[], int[], long[] or byte[]). */
  public Object array() {
    return data;
  }

  public float[] f32() {
    return (float[]) data;
  }

  public double[] f64() {
    return (double[]) data;
  }

  public long[] i64() {
    return (long[]) data;
  }

  public int[] i32() {
    return (int[]) data;
  }

  public byte[] bool() {
    return (byte[]) data;
  }

  /** Element {@code i} as a double. */
  public double get(int i) {
    return switch (dtype) {
      case F32 -> f32()[i];
      case F64 -> f64()[i];
      case I32 -> i32()[i];
      case I64 -> i64()[i];
      case BOOL -> bool()[i];
    };
  }

  /** Element {@code i} as a long (an index); floats are truncated. */
  public long getLong(int i) {
    return switch (dtype) {
      case I64 -> i64()[i];
      case I32 -> i32()[i];
      case BOOL -> bool()[i];
      case F32 -> (long) f32()[i];
      case F64 -> (long) f64()[i];
    };
  }

  /** Sets element {@code i} from a double, converting to this buffer's type. */
  public void set(int i, double v) {
    switch (dtype) {
      case F32 -> f32()[i] = (float) v;
      case F64 -> f64()[i] = v;
      case I32 -> i32()[i] = (int) v;
      case I64 -> i64()[i] = (long) v;
      case BOOL -> bool()[i] = (byte) (v != 0 ? 1 : 0);
    }
  }
}
