package org.incipit.tensor.opencl;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Kernel;
import org.incipit.tensor.MemoryScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ownership of device memory: scopes, close, the Cleaner fallback, the live counters, the caches. */
class OpenClMemoryTest {
  static OpenClBackend cl;

  @BeforeEach
  void device() {
    cl = OpenClTesting.backend();
  }

  @Test
  void aScopeReleasesEverythingAllocatedInsideButWhatWasKept() {
    long buffers = cl.liveBuffers();
    long bytes = cl.liveBytes();
    Buffer kept;
    OpenClBuffer temp;
    try (MemoryScope s = MemoryScope.open()) {
      temp = (OpenClBuffer) cl.full(DType.F32, 1000, 2);
      kept = s.keep(cl.unary(Kernel.unary("exp", (a, x) -> Math.exp(a), "exp(a)"), temp, 0));
      assertEquals(buffers + 2, cl.liveBuffers());
      assertEquals(bytes + 8000, cl.liveBytes());
    }
    assertTrue(temp.isClosed());
    assertEquals(buffers + 1, cl.liveBuffers());
    assertEquals((float) Math.exp(2), cl.toFloats(kept)[999], 1e-6);
    kept.close();
    kept.close(); // harmless
    assertEquals(buffers, cl.liveBuffers());
    assertEquals(bytes, cl.liveBytes());
  }

  @Test
  void usingAClosedBufferIsAClearError() {
    Buffer b = cl.zeros(DType.I64, 4);
    b.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> cl.toLongs(b));
    assertTrue(e.getMessage().contains("was closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> cl.cast(b, DType.F32));
  }

  @Test
  void unreachableUnscopedBuffersAreReleasedByTheCleaner() throws InterruptedException {
    OpenClBuffer probe = (OpenClBuffer) cl.zeros(DType.F32, 10);
    java.lang.ref.WeakReference<OpenClBuffer> ref = new java.lang.ref.WeakReference<>(probe);
    long before = cl.liveBuffers();
    probe = null;
    for (int i = 0; i < 100 && (ref.get() != null || cl.liveBuffers() >= before); i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(ref.get(), "the buffer became unreachable");
    assertTrue(cl.liveBuffers() < before,
        "the Cleaner released it: " + cl.liveBuffers() + " live, " + before + " before");
  }

  @Test
  void buffersOfAnotherDeviceAreRejectedNamingBothDevices() {
    Buffer onCpu = OpenClTesting.CPU.zeros(DType.F32, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.cast(onCpu, DType.F64));
    assertTrue(e.getMessage().contains(cl.name()) && e.getMessage().contains("cpu"), e.getMessage());
  }

  @Test
  void programsAreBuiltOnceAndReused() {
    Kernel.Binary k = Kernel.binary("memory_test_add", (a, b) -> a + b, "a + b");
    Buffer x = cl.full(DType.F32, 3, 1);
    int before = cl.device().programCount();
    cl.binary(k, x, x);
    assertEquals(before + 1, cl.device().programCount(), "a new kernel builds one program");
    cl.reduce(org.incipit.tensor.Backend.Reduction.SUM, x, 1, 3, 1);
    int built = cl.device().programCount();
    for (int i = 0; i < 5; i++) {
      cl.binary(k, x, x);
      cl.reduce(org.incipit.tensor.Backend.Reduction.SUM, x, 1, 3, 1);
    }
    assertEquals(built, cl.device().programCount(), "running them again builds nothing");
  }
}
