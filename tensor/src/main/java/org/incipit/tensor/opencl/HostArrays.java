package org.incipit.tensor.opencl;

import org.incipit.tensor.DType;
import org.jocl.Pointer;

/**
 * Host arrays in the device's element layout — float[] (F32), double[] (F64), int[] (I32), long[]
 * (I64), byte[] 0/1 (BOOL) — with the CPU backend's conversions: doubles to integers truncate
 * (saturating, NaN to 0, as Java's casts), anything non-zero is true.
 */
final class HostArrays {
  private HostArrays() {}

  static Object allocate(DType t, int n) {
    return switch (t) {
      case F32 -> new float[n];
      case F64 -> new double[n];
      case I32 -> new int[n];
      case I64 -> new long[n];
      case BOOL -> new byte[n];
    };
  }

  static Pointer pointer(Object array) {
    if (array instanceof float[] a) {
      return Pointer.to(a);
    } else if (array instanceof double[] a) {
      return Pointer.to(a);
    } else if (array instanceof int[] a) {
      return Pointer.to(a);
    } else if (array instanceof long[] a) {
      return Pointer.to(a);
    }
    return Pointer.to((byte[]) array);
  }

  static Object fromDoubles(DType t, double[] d) {
    Object out = allocate(t, d.length);
    for (int i = 0; i < d.length; i++) {
      switch (t) {
        case F32 -> ((float[]) out)[i] = (float) d[i];
        case F64 -> ((double[]) out)[i] = d[i];
        case I32 -> ((int[]) out)[i] = (int) d[i];
        case I64 -> ((long[]) out)[i] = (long) d[i];
        case BOOL -> ((byte[]) out)[i] = (byte) (d[i] != 0 ? 1 : 0);
      }
    }
    return out;
  }

  static Object fromLongs(DType t, long[] v) {
    if (t == DType.I64) {
      return v.clone();
    }
    if (t == DType.I32) {
      int[] out = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        out[i] = Math.toIntExact(v[i]);
      }
      return out;
    }
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return fromDoubles(t, d);
  }

  static double[] toDoubles(Object a) {
    if (a instanceof double[] d) {
      return d;
    }
    int n = java.lang.reflect.Array.getLength(a);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = get(a, i);
    }
    return out;
  }

  static long[] toLongs(Object a) {
    if (a instanceof long[] l) {
      return l;
    }
    int n = java.lang.reflect.Array.getLength(a);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = a instanceof int[] v ? v[i] : a instanceof byte[] v ? v[i] : (long) get(a, i);
    }
    return out;
  }

  private static double get(Object a, int i) {
    if (a instanceof float[] v) {
      return v[i];
    } else if (a instanceof double[] v) {
      return v[i];
    } else if (a instanceof int[] v) {
      return v[i];
    } else if (a instanceof long[] v) {
      return v[i];
    }
    return ((byte[]) a)[i];
  }
}
