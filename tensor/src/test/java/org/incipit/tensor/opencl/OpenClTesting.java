package org.incipit.tensor.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Rng;
import org.incipit.tensor.cpu.CpuBackend;

/** Shared plumbing of the OpenCL tests: the device under test, random buffers, comparisons. */
final class OpenClTesting {
  private OpenClTesting() {}

  static final CpuBackend CPU = CpuBackend.INSTANCE;

  /** The OpenCL backend under test ({@link Device#selectedOpenCl()}); skips the test without one. */
  static OpenClBackend backend() {
    Optional<Device> d = Device.selectedOpenCl();
    assumeTrue(d.isPresent(), () -> "OpenCL test skipped: " + (Device.openClProblem() != null
        ? Device.openClProblem() : "INCIPIT_DEVICE=" + System.getenv("INCIPIT_DEVICE")));
    return (OpenClBackend) d.get().backend();
  }

  /** n values of dtype: normals scaled by 3 for floats, integers in [−5, 5), bools. */
  static double[] values(DType t, int n, long seed) {
    Rng rng = Rng.seeded(seed);
    double[] v = switch (t) {
      case F32, F64 -> rng.normal(n, 0, 3);
      case BOOL -> rng.uniform(n);
      default -> rng.uniform(n, -5, 5);
    };
    for (int i = 0; i < n; i++) {
      if (t == DType.BOOL) {
        v[i] = v[i] < 0.5 ? 0 : 1;
      } else if (!t.isFloating()) {
        v[i] = Math.floor(v[i]);
      }
    }
    return v;
  }

  /** The same values on the CPU and on {@code be}. */
  static Buffer[] pair(Backend be, DType t, double[] values) {
    return new Buffer[] {CPU.fromHost(t, values), be.fromHost(t, values)};
  }

  /** Exact agreement of dtype and every element (NaN equals NaN). */
  static void assertSame(Buffer want, Buffer got, String what) {
    assertEquals(want.dtype(), got.dtype(), what + ": dtype");
    assertEquals(want.size(), got.size(), what + ": size");
    double[] w = want.backend().toDoubles(want);
    double[] g = got.backend().toDoubles(got);
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], g[i], 0.0, what + ": element " + i);
    }
  }

  /** Agreement within |got − want| ≤ tol·(1 + |want|), and of infinities and NaN exactly. */
  static void assertClose(Buffer want, Buffer got, double tol, String what) {
    assertEquals(want.dtype(), got.dtype(), what + ": dtype");
    assertEquals(want.size(), got.size(), what + ": size");
    double[] w = want.backend().toDoubles(want);
    double[] g = got.backend().toDoubles(got);
    for (int i = 0; i < w.length; i++) {
      if (Double.isNaN(w[i]) || Double.isInfinite(w[i])) {
        assertEquals(w[i], g[i], 0.0, what + ": element " + i);
      } else {
        assertEquals(w[i], g[i], tol * (1 + Math.abs(w[i])), what + ": element " + i);
      }
    }
  }
}
