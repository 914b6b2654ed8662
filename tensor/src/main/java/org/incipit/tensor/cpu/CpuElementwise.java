package org.incipit.tensor.cpu;

import org.incipit.tensor.DType;
import org.incipit.tensor.Kernel;

/** Elementwise kernels of the CPU backend. */
final class CpuElementwise {
  private CpuElementwise() {}

  /** A float32 loop of one unary kernel over [from, to), for the vectorised fast paths. */
  @FunctionalInterface
  interface UnaryLoop {
    void run(float[] a, float[] o, int from, int to, float s);
  }

  /**
   * The fast float32 loop of a kernel, or null (the double reference then runs): {@link VectorUnary}
   * where the Vector API is present, else the scalar {@link FloatMath} loops, which give the same
   * bits. Kernels in VectorUnary but not in FloatMath (sqrt, relu, neg, abs, reciprocal) are
   * correctly rounded either way.
   */
  static UnaryLoop fastLoop(String name) {
    return VectorSupport.AVAILABLE ? VectorUnary.loop(name) : FloatMath.loop(name);
  }

  static CpuBuffer unary(Kernel.Unary k, CpuBuffer x, double s) {
    int n = x.size();
    DType outType = k.predicate() ? DType.BOOL : x.dtype();
    CpuBuffer out = CpuBuffer.allocate(outType, n);
    Kernel.UnaryFn fn = k.cpu();
    if (x.dtype() == DType.F32 && outType == DType.BOOL && compare(k.name(), x.f32(), out.bool(), s)) {
      return out;
    }
    if (x.dtype() == DType.F32 && outType == DType.F32) {
      float[] a = x.f32();
      float[] o = out.f32();
      switch (k.name()) {
        case "mul_scalar" -> Parallel.range(n, CpuBackend.GRAIN, (f, t) -> {
          float fs = (float) s;
          for (int i = f; i < t; i++) {
            o[i] = a[i] * fs;
          }
        });
        case "add_scalar" -> Parallel.range(n, CpuBackend.GRAIN, (f, t) -> {
          float fs = (float) s;
          for (int i = f; i < t; i++) {
            o[i] = a[i] + fs;
          }
        });
        default -> {
          UnaryLoop loop = fastLoop(k.name());
          if (loop != null) {
            float fs = (float) s;
            Parallel.range(n, CpuBackend.GRAIN / 4, (f, t) -> loop.run(a, o, f, t, fs));
          } else {
            Parallel.range(n, CpuBackend.GRAIN / 8, (f, t) -> {
              for (int i = f; i < t; i++) {
                o[i] = (float) fn.apply(a[i], s);
              }
            });
          }
        }
      }
    } else if (x.dtype() == DType.F64 && outType == DType.F64) {
      double[] a = x.f64();
      double[] o = out.f64();
      Parallel.range(n, CpuBackend.GRAIN / 8, (f, t) -> {
        for (int i = f; i < t; i++) {
          o[i] = fn.apply(a[i], s);
        }
      });
    } else {
      Parallel.range(n, CpuBackend.GRAIN / 8, (f, t) -> {
        for (int i = f; i < t; i++) {
          out.set(i, fn.apply(x.get(i), s));
        }
      });
    }
    return out;
  }

  /**
   * Comparisons of a float array with a scalar, as byte loops, in double like the reference (0.1f
   * is not below 0.1); false when {@code name} is not one.
   */
  private static boolean compare(String name, float[] a, byte[] o, double s) {
    int op = switch (name) {
      case "gt_scalar" -> 0;
      case "lt_scalar" -> 1;
      case "ge_scalar" -> 2;
      case "le_scalar" -> 3;
      case "eq_scalar" -> 4;
      case "ne_scalar" -> 5;
      default -> -1;
    };
    if (op < 0) {
      return false;
    }
    Parallel.range(a.length, CpuBackend.GRAIN, (f, t) -> {
      for (int i = f; i < t; i++) {
        boolean r = switch (op) {
          case 0 -> a[i] > s;
          case 1 -> a[i] < s;
          case 2 -> a[i] >= s;
          case 3 -> a[i] <= s;
          case 4 -> a[i] == s;
          default -> a[i] != s;
        };
        o[i] = (byte) (r ? 1 : 0);
      }
    });
    return true;
  }

  static CpuBuffer binary(Kernel.Binary k, CpuBuffer a, CpuBuffer b) {
    if (a.dtype() != b.dtype() || a.size() != b.size()) {
      throw new IllegalArgumentException("cpu " + k.name() + ": operands " + a.dtype() + "[" + a.size()
          + "] and " + b.dtype() + "[" + b.size() + "] differ");
    }
    int n = a.size();
    DType outType = k.predicate() ? DType.BOOL : a.dtype();
    CpuBuffer out = CpuBuffer.allocate(outType, n);
    Kernel.BinaryFn fn = k.cpu();
    if (a.dtype() == DType.F32 && outType == DType.F32) {
      float[] x = a.f32();
      float[] y = b.f32();
      float[] o = out.f32();
      switch (k.name()) {
        case "add" -> Parallel.range(n, CpuBackend.GRAIN, (f, t) -> {
          for (int i = f; i < t; i++) {
            o[i] = x[i] + y[i];
          }
        });
        case "sub" -> Parallel.range(n, CpuBackend.GRAIN, (f, t) -> {
          for (int i = f; i < t; i++) {
            o[i] = x[i] - y[i];
          }
        });
        case "mul" -> Parallel.range(n, CpuBackend.GRAIN, (f, t) -> {
          for (int i = f; i < t; i++) {
            o[i] = x[i] * y[i];
          }
        });
        case "div" -> Parallel.range(n, CpuBackend.GRAIN, (f, t) -> {
          for (int i = f; i < t; i++) {
            o[i] = x[i] / y[i];
          }
        });
        default -> Parallel.range(n, CpuBackend.GRAIN / 8, (f, t) -> {
          for (int i = f; i < t; i++) {
            o[i] = (float) fn.apply(x[i], y[i]);
          }
        });
      }
    } else if (a.dtype() == DType.F64 && outType == DType.F64) {
      double[] x = a.f64();
      double[] y = b.f64();
      double[] o = out.f64();
      Parallel.range(n, CpuBackend.GRAIN / 8, (f, t) -> {
        for (int i = f; i < t; i++) {
          o[i] = fn.apply(x[i], y[i]);
        }
      });
    } else {
      Parallel.range(n, CpuBackend.GRAIN / 8, (f, t) -> {
        for (int i = f; i < t; i++) {
          out.set(i, fn.apply(a.get(i), b.get(i)));
        }
      });
    }
    return out;
  }

  static CpuBuffer where(CpuBuffer cond, CpuBuffer a, CpuBuffer b) {
    if (cond.dtype() != DType.BOOL || a.dtype() != b.dtype()
        || cond.size() != a.size() || a.size() != b.size()) {
      throw new IllegalArgumentException("cpu where: needs BOOL cond and two operands of one dtype and size, got "
          + cond.dtype() + "[" + cond.size() + "], " + a.dtype() + "[" + a.size() + "], "
          + b.dtype() + "[" + b.size() + "]");
    }
    int n = a.size();
    byte[] c = cond.bool();
    CpuBuffer out = CpuBuffer.allocate(a.dtype(), n);
    if (a.dtype() == DType.F32) {
      float[] x = a.f32();
      float[] y = b.f32();
      float[] o = out.f32();
      Parallel.range(n, CpuBackend.GRAIN, (f, t) -> {
        for (int i = f; i < t; i++) {
          o[i] = c[i] != 0 ? x[i] : y[i];
        }
      });
    } else if (a.dtype() == DType.F64) {
      double[] x = a.f64();
      double[] y = b.f64();
      double[] o = out.f64();
      for (int i = 0; i < n; i++) {
        o[i] = c[i] != 0 ? x[i] : y[i];
      }
    } else {
      for (int i = 0; i < n; i++) { // integer types: copy the element exactly
        System.arraycopy(c[i] != 0 ? a.array() : b.array(), i, out.array(), i, 1);
      }
    }
    return out;
  }

  static CpuBuffer cast(CpuBuffer x, DType to) {
    int n = x.size();
    CpuBuffer out = CpuBuffer.allocate(to, n);
    if (x.dtype() == DType.F32 && to == DType.F64) {
      float[] a = x.f32();
      double[] o = out.f64();
      for (int i = 0; i < n; i++) {
        o[i] = a[i];
      }
    } else if (x.dtype() == DType.F64 && to == DType.F32) {
      double[] a = x.f64();
      float[] o = out.f32();
      for (int i = 0; i < n; i++) {
        o[i] = (float) a[i];
      }
    } else if (x.dtype() == DType.BOOL && to == DType.F32) {
      byte[] a = x.bool();
      float[] o = out.f32();
      for (int i = 0; i < n; i++) {
        o[i] = a[i];
      }
    } else if (to == DType.I64 || to == DType.I32) {
      for (int i = 0; i < n; i++) {
        long v = x.dtype().isFloating() ? (long) x.get(i) : x.getLong(i);
        if (to == DType.I64) {
          out.i64()[i] = v;
        } else {
          out.i32()[i] = (int) v;
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        out.set(i, x.get(i));
      }
    }
    return out;
  }
}
